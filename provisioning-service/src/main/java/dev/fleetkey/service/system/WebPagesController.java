package dev.fleetkey.service.system;

import dev.fleetkey.service.devices.DeviceRepository;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page and the dashboard; the full admin UI comes with its own issue. */
@Controller
class WebPagesController {

    static final String VIEW_LOGIN = "login";
    static final String VIEW_DASHBOARD = "dashboard";

    private final DeviceRepository devices;

    WebPagesController(DeviceRepository devices) {
        this.devices = devices;
    }

    @GetMapping("/login")
    String login() {
        return VIEW_LOGIN;
    }

    @GetMapping("/")
    String dashboard(Model model, Principal user) {
        model.addAttribute("currentUser", user.getName());
        model.addAttribute("deviceCount", devices.count());
        return VIEW_DASHBOARD;
    }
}
