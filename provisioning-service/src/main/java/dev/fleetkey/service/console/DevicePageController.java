package dev.fleetkey.service.console;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.audit.AuditEntries;
import dev.fleetkey.service.audit.AuditFilter;
import dev.fleetkey.service.bundles.IssuedBundles;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.checkins.Checkins;
import dev.fleetkey.service.devices.CredentialRotation;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceProvisioning;
import dev.fleetkey.service.devices.DeviceQueries;
import dev.fleetkey.service.devices.DeviceQuery;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.devices.DeviceSearch;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import dev.fleetkey.service.web.PageController;
import dev.fleetkey.service.web.PageNotFoundException;
import dev.fleetkey.service.web.PageOf;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/** Device list with search and paging, provisioning from a form, the device page, revoke and rotate. */
@PageController
class DevicePageController {

    static final String VIEW_LIST = "devices/list";
    static final String VIEW_DEVICE = "devices/device";
    static final String VIEW_REVOKE = "devices/revoke";
    private static final int MAX_REASON = 200;

    private final DeviceQueries browser;
    private final DeviceSearch search;
    private final IssuedBundles bundles;
    private final DeviceRepository devices;
    private final DeviceProvisioning provisioning;
    private final DeviceLifecycle lifecycle;
    private final TemplateCatalog templates;
    private final AuditEntries audit;
    private final Checkins checkins;

    DevicePageController(DeviceQueries browser, DeviceSearch search, IssuedBundles bundles, DeviceRepository devices, DeviceProvisioning provisioning,
            DeviceLifecycle lifecycle, TemplateCatalog templates, AuditEntries audit, Checkins checkins) {
        this.checkins = checkins;
        this.browser = browser;
        this.search = search;
        this.bundles = bundles;
        this.devices = devices;
        this.provisioning = provisioning;
        this.lifecycle = lifecycle;
        this.templates = templates;
        this.audit = audit;
    }

    /** The search: the API's filter parameters ({@link DeviceQuery}), newest first, in keyset pages. */
    @GetMapping("/devices")
    String list(Caller caller, @RequestParam Map<String, String> parameters, Model model) {
        DeviceQuery query = DeviceQuery.of(parameters);
        Map<String, String> problems = query.problems();
        String cursor = parameters.get("cursor");
        addSearch(model, query, problems);
        if (problems.isEmpty()) {
            try {
                DeviceSearch.Result result = search.page(caller, query, cursor, PageOf.DEFAULT_SIZE, true);
                model.addAttribute("results", result.page().rows());
                model.addAttribute("matches", search.count(caller, query).text());
                model.addAttribute("firstPage", cursor != null && !cursor.isBlank());
                model.addAttribute("nextPage", result.nextCursor() == null ? null : UriComponentsBuilder.fromPath("/devices")
                        .queryParams(MultiValueMap.fromSingleValue(query.parameters()))
                        .queryParam("cursor", result.nextCursor()).encode().build().toUriString());
                model.addAttribute("firstPageLink", UriComponentsBuilder.fromPath("/devices")
                        .queryParams(MultiValueMap.fromSingleValue(query.parameters())).encode().build().toUriString());
            } catch (InvalidFieldException e) {
                addSearch(model, query, Map.of(e.field(), e.getMessage()));
            }
        }
        addProvisionForm(model, "", "");
        return VIEW_LIST;
    }

    private void addSearch(Model model, DeviceQuery query, Map<String, String> problems) {
        model.addAttribute("query", query);
        model.addAttribute("problems", problems);
        model.addAttribute("states", Device.State.values());
        model.addAttribute("templateIds", browser.templateIds());
        model.addAttribute("results", List.of());
        model.addAttribute("matches", "");
        model.addAttribute("nextPage", null);
        model.addAttribute("firstPage", false);
    }

    @PostMapping("/devices")
    String provision(@RequestParam(name = "eui64", defaultValue = "") String eui64,
            @RequestParam(name = "template", defaultValue = "") String template, Model model,
            RedirectAttributes redirect) {
        try {
            // a person pastes a label with a space at its end; the API refuses that, the form tidies it
            DeviceProvisioning.Outcome outcome = provisioning.provision(eui64.strip(), template.strip());
            String canonical = outcome.device().eui64().canonical();
            redirect.addFlashAttribute("notice", outcome.created()
                    ? "Device " + canonical + " was provisioned from " + outcome.device().templateReference() + "."
                    : "Device " + canonical + " existed already; its template says to keep it as it is.");
            return "redirect:/devices/" + canonical;
        } catch (FleetkeyException e) {
            addSearch(model, DeviceQuery.all(), Map.of());
            addProvisionForm(model, eui64, template);
            model.addAttribute("provisionError", e.getMessage());
            model.addAttribute("provisionErrorField", e.field());
            return VIEW_LIST;
        }
    }

    @GetMapping("/devices/{eui64}")
    String device(@PathVariable("eui64") String eui64Text, Model model) {
        Device device = find(eui64Text);
        model.addAttribute("device", device);
        model.addAttribute("credentials", browser.credentials(device.id()));
        model.addAttribute("bundles", bundles.bundlesOf(device.id()));
        model.addAttribute("history", audit.find(new AuditFilter(null, "device:" + device.eui64().canonical(), null, null,
                null), 0, 50));
        model.addAttribute("defaultOverlapDays", CredentialRotation.DEFAULT_OVERLAP.toDays());
        model.addAttribute("maxOverlapDays", CredentialRotation.MAX_OVERLAP.toDays());
        model.addAttribute("checkIns", checkins.latestOf(device.eui64(), 20));
        return VIEW_DEVICE;
    }

    @GetMapping("/devices/{eui64}/revoke")
    String confirmRevoke(@PathVariable("eui64") String eui64Text, Model model) {
        model.addAttribute("device", find(eui64Text));
        return VIEW_REVOKE;
    }

    @PostMapping("/devices/{eui64}/revoke")
    String revoke(@PathVariable("eui64") String eui64Text, @RequestParam(name = "reason", defaultValue = "") String reason,
            @RequestParam(name = "confirm", defaultValue = "") String confirm, Model model, RedirectAttributes redirect) {
        Device device = find(eui64Text);
        String cleanReason = reason.strip().replaceAll("\\p{Cntrl}", " ");
        String problem = null;
        if (!"yes".equals(confirm)) {
            problem = "Tick the box to confirm that this device's credentials stop working now.";
        } else if (cleanReason.isEmpty() || cleanReason.length() > MAX_REASON) {
            problem = "Give a reason of 1-" + MAX_REASON + " characters (it goes into the audit log).";
        }
        if (problem != null) {
            model.addAttribute("device", device);
            model.addAttribute("reason", reason);
            model.addAttribute("problem", problem);
            return VIEW_REVOKE;
        }
        try {
            lifecycle.revoke(device.eui64(), cleanReason);
            redirect.addFlashAttribute("notice", "Device " + device.eui64().canonical() + " was revoked.");
        } catch (FleetkeyException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/devices/" + device.eui64().canonical();
    }

    @PostMapping("/devices/{eui64}/rotate")
    String rotate(@PathVariable("eui64") String eui64Text,
            @RequestParam(name = "overlapDays", defaultValue = "") String overlapDays, RedirectAttributes redirect) {
        Device device = find(eui64Text);
        Duration overlap = overlap(overlapDays);
        if (overlap == null) {
            redirect.addFlashAttribute("problem", "Give the overlap as a whole number of days from 0 to "
                    + CredentialRotation.MAX_OVERLAP.toDays() + " (0 refuses the old credentials at once).");
            return "redirect:/devices/" + device.eui64().canonical();
        }
        try {
            lifecycle.rotate(device.eui64(), overlap);
            redirect.addFlashAttribute("notice", "Device " + device.eui64().canonical() + " has new credentials; the old"
                    + " ones work for " + overlap.toDays() + " more day" + (overlap.toDays() == 1 ? "" : "s") + ".");
        } catch (FleetkeyException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/devices/" + device.eui64().canonical();
    }

    /** The form's overlap in days, the default when left empty, or null when it is not a day count in range. */
    private static Duration overlap(String days) {
        if (days.isBlank()) {
            return CredentialRotation.DEFAULT_OVERLAP;
        }
        try {
            long value = Long.parseLong(days.strip());
            return value < 0 || value > CredentialRotation.MAX_OVERLAP.toDays() ? null : Duration.ofDays(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    Device find(String eui64Text) {
        Eui64 eui64 = PageNotFoundException.eui64(eui64Text, "Search for the device on the Devices page.");
        return devices.findByEui64(eui64).orElseThrow(() -> new PageNotFoundException(
                "No device " + eui64.canonical() + " is provisioned.", "Search on the Devices page, or provision it there."));
    }

    private void addProvisionForm(Model model, String eui64, String template) {
        model.addAttribute("templates", templates.all().stream().map(DeviceTemplate::reference).toList());
        model.addAttribute("provisionEui64", eui64);
        model.addAttribute("provisionTemplate", template);
    }
}
