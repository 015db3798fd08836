package dev.fleetkey.service.console;

import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DevicePsks;
import dev.fleetkey.service.users.UserAdministration;
import dev.fleetkey.service.web.PageController;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Shows a device's PSKs once, to an ADMIN who has just typed their password again. Every attempt, shown
 * or refused, is audited; the page is never cached and the keys never appear in a URL or a log.
 */
@PageController
class PskRevealController {

    static final String VIEW = "devices/reveal";

    /** A key in hex for one server; only ever in this page's model. */
    record RevealedPsk(String server, String identity, String key) {
        @Override
        public String toString() {
            return "RevealedPsk[" + server + ", identity " + identity + ", key (redacted)]";
        }
    }

    private final DevicePageController devicePages;
    private final DevicePsks psks;
    private final UserAdministration users;
    private final AuditTrail audit;

    PskRevealController(DevicePageController devicePages, DevicePsks psks, UserAdministration users, AuditTrail audit) {
        this.devicePages = devicePages;
        this.psks = psks;
        this.users = users;
        this.audit = audit;
    }

    @PostMapping("/devices/{eui64}/reveal")
    String reveal(@PathVariable("eui64") String eui64Text,
            @RequestParam(name = "password", defaultValue = "") String password, Principal user, Model model,
            HttpServletResponse response, RedirectAttributes redirect) {
        Device device = devicePages.find(eui64Text);
        String subject = "device:" + device.eui64().canonical();
        if (!users.passwordMatches(user.getName(), password)) {
            audit.record("psk.reveal-refused", subject + " reason:wrong-password");
            redirect.addFlashAttribute("problem", "The password was not right, so no key is shown. Type your own password again.");
            return "redirect:/devices/" + device.eui64().canonical();
        }
        List<RevealedPsk> shown = psks.activePsks(device).stream().map(p -> {
            try {
                return new RevealedPsk(p.serverName(), HexFormat.of().formatHex(p.credential().identity()),
                        HexFormat.of().formatHex(p.credential().key()));
            } finally {
                p.wipe();
            }
        }).toList();
        audit.record("psk.revealed", subject + " servers:" + shown.stream().map(RevealedPsk::server).toList());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        model.addAttribute("device", device);
        model.addAttribute("psks", shown);
        return VIEW;
    }
}
