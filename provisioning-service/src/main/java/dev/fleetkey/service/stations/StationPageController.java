package dev.fleetkey.service.stations;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.stations.Station;
import dev.fleetkey.service.stations.StationService;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import dev.fleetkey.service.web.PageController;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * ADMIN only (the access rules close every page not opened to other roles). Lists stations, creates one,
 * changes its templates, quota and transport key, disables or enables it and gives it a new token. A new
 * token is rendered straight into the answer (never a redirect, flash attribute or URL) with no-store, so it
 * is shown exactly once; the stations service audits every change.
 */
@PageController
class StationPageController {

    static final String VIEW = "stations/list";
    static final String VIEW_TOKEN = "stations/token";

    private final StationService stations;
    private final TemplateCatalog templates;

    StationPageController(StationService stations, TemplateCatalog templates) {
        this.stations = stations;
        this.templates = templates;
    }

    /** A station as the page lists it: the transport key only as its SHA-256 fingerprint. */
    record StationRow(Station station, String transportKeyFingerprint) {
    }

    /** What the create form sends back when it has to be shown again. */
    record StationForm(String name, List<String> allowedTemplates, String quotaPerMinute, String transportPublicKey) {
        static StationForm empty() {
            return new StationForm("", List.of(), "60", "");
        }
    }

    @GetMapping("/stations")
    String list(Model model) {
        return showList(model, StationForm.empty(), null, null);
    }

    @PostMapping("/stations")
    String create(@RequestParam(name = "name", defaultValue = "") String name,
            @RequestParam(name = "allowedTemplates", required = false) List<String> allowedTemplates,
            @RequestParam(name = "quotaPerMinute", defaultValue = "") String quota,
            @RequestParam(name = "transportPublicKey", defaultValue = "") String transportKey, Model model,
            HttpServletResponse response) {
        List<String> allowed = allowedTemplates == null ? List.of() : allowedTemplates;
        StationForm form = new StationForm(name, allowed, quota, transportKey);
        try {
            StationService.StationWithToken created = stations.create(new StationService.StationDraft(name, allowed,
                    quota(quota), transportKey));
            return showToken(created, "was created", model, response);
        } catch (FleetkeyException e) {
            return showList(model, form, e.getMessage(), e.field());
        }
    }

    @PostMapping("/stations/{id}")
    String update(@PathVariable("id") long id,
            @RequestParam(name = "allowedTemplates", required = false) List<String> allowedTemplates,
            @RequestParam(name = "quotaPerMinute", defaultValue = "") String quota,
            @RequestParam(name = "transportPublicKey", required = false) String transportKey,
            @RequestParam(name = "removeTransportKey", defaultValue = "false") boolean removeTransportKey,
            RedirectAttributes redirect) {
        String key = removeTransportKey ? "" : transportKey == null || transportKey.isBlank() ? null : transportKey;
        return change(id, new StationService.StationChanges(null, allowedTemplates == null ? List.of() : allowedTemplates,
                quota(quota), key, null), "was updated", redirect);
    }

    @PostMapping("/stations/{id}/enabled")
    String enable(@PathVariable("id") long id, @RequestParam(name = "enabled") boolean enabled, RedirectAttributes redirect) {
        return change(id, new StationService.StationChanges(null, null, null, null, enabled),
                enabled ? "was enabled" : "was disabled: its token is refused until it is enabled again", redirect);
    }

    @PostMapping("/stations/{id}/token")
    String rotateToken(@PathVariable("id") long id, Model model, HttpServletResponse response,
            RedirectAttributes redirect) {
        try {
            return showToken(stations.rotateToken(id), "has a new token; the old one no longer works", model, response);
        } catch (FleetkeyException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
            return "redirect:/stations";
        }
    }

    private String change(long id, StationService.StationChanges changes, String done, RedirectAttributes redirect) {
        try {
            Station station = stations.update(id, changes);
            redirect.addFlashAttribute("notice", "Station " + station.name() + " " + done + ".");
        } catch (FleetkeyException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/stations";
    }

    private String showToken(StationService.StationWithToken issued, String what, Model model,
            HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        model.addAttribute("station", issued.station());
        model.addAttribute("token", issued.token());
        model.addAttribute("what", what);
        return VIEW_TOKEN;
    }

    private String showList(Model model, StationForm form, String formError, String formErrorField) {
        model.addAttribute("stations", stations.list().stream()
                .map(s -> new StationRow(s, s.transportKeySpki().map(StationPageController::fingerprint).orElse(null)))
                .toList());
        model.addAttribute("templateIds", templates.all().stream().map(DeviceTemplate::id).distinct().sorted().toList());
        model.addAttribute("form", form);
        model.addAttribute("formError", formError);
        model.addAttribute("formErrorField", formErrorField);
        return VIEW;
    }

    /** The quota as typed; an unreadable one becomes 0 so the service names the field and its range. */
    private static Integer quota(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String fingerprint(byte[] spki) {
        return HexFormat.ofDelimiter(":").formatHex(Sha256.digest(spki));
    }
}
