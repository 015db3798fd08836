package dev.fleetkey.service.console;

import dev.fleetkey.service.audit.AuditEntries;
import dev.fleetkey.service.checkins.Checkins;
import dev.fleetkey.service.devices.DeviceQueries;
import dev.fleetkey.service.web.PageController;
import dev.fleetkey.service.web.Viewer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page and the dashboard: device counts, provisioning per day, latest check-ins and events. */
@PageController
public class DashboardPageController {

    public static final String VIEW_LOGIN = "login";
    public static final String VIEW_DASHBOARD = "dashboard";
    static final int CHART_DAYS = 14;

    private final DeviceQueries browser;
    private final AuditEntries audit;
    private final Checkins checkins;

    DashboardPageController(DeviceQueries browser, AuditEntries audit, Checkins checkins) {
        this.browser = browser;
        this.audit = audit;
        this.checkins = checkins;
    }

    @GetMapping("/login")
    String login() {
        return VIEW_LOGIN;
    }

    @GetMapping("/")
    String dashboard(Model model) {
        // the same figures as GET /api/v1/devices/summary
        DeviceQueries.Summary summary = browser.summary();
        model.addAttribute("deviceCount", summary.total());
        model.addAttribute("byState", summary.byState());
        model.addAttribute("byMode", summary.byMode());
        model.addAttribute("byTemplate", summary.byTemplate());
        model.addAttribute("chart", RateChart.of(provisionedPerDay()));
        model.addAttribute("checkIns", checkins.latest(10));
        Viewer viewer = (Viewer) model.getAttribute("viewer");
        model.addAttribute("latestEvents", viewer != null && viewer.audits() ? audit.latest(10) : List.of());
        return VIEW_DASHBOARD;
    }

    private List<RateChart.Bar> provisionedPerDay() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<RateChart.Bar> bars = new ArrayList<>();
        for (int back = CHART_DAYS - 1; back >= 0; back--) {
            LocalDate day = today.minusDays(back);
            Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            bars.add(new RateChart.Bar(day.toString().substring(5), browser.countCreatedBetween(from, to)));
        }
        return bars;
    }
}
