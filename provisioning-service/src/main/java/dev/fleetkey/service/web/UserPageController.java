package dev.fleetkey.service.web;

import dev.fleetkey.service.system.ApiException;
import dev.fleetkey.service.system.Role;
import dev.fleetkey.service.system.UserAccounts;
import dev.fleetkey.service.system.UserAdministration;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** ADMIN only: the logins, creating one, and changing a role or disabling a login. */
@Controller
class UserPageController {

    static final String VIEW = "users/list";

    private final UserAccounts accounts;
    private final UserAdministration administration;

    UserPageController(UserAccounts accounts, UserAdministration administration) {
        this.accounts = accounts;
        this.administration = administration;
    }

    @GetMapping("/users")
    String list(Model model) {
        model.addAttribute("users", accounts.all());
        model.addAttribute("roles", Role.values());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new NewUser("", Role.OPERATOR.name()));
        }
        return VIEW;
    }

    /** The create form as typed, so a refused form comes back filled in (never the password). */
    record NewUser(String username, String role) {
    }

    @PostMapping("/users")
    String create(@RequestParam(name = "username", defaultValue = "") String username,
            @RequestParam(name = "password", defaultValue = "") String password,
            @RequestParam(name = "role", defaultValue = "") String role, Model model, RedirectAttributes redirect) {
        try {
            administration.create(username, password, role(role));
            redirect.addFlashAttribute("notice", "User " + username.trim() + " was created.");
            return "redirect:/users";
        } catch (ApiException e) {
            model.addAttribute("form", new NewUser(username, role));
            model.addAttribute("formError", e.getMessage());
            model.addAttribute("formErrorField", e.field());
            return list(model);
        }
    }

    @PostMapping("/users/{username}")
    String update(@PathVariable("username") String username, @RequestParam(name = "role", defaultValue = "") String role,
            @RequestParam(name = "enabled", defaultValue = "false") boolean enabled, RedirectAttributes redirect) {
        try {
            administration.update(username, role(role), enabled);
            redirect.addFlashAttribute("notice", "User " + username + " is now " + role(role) + (enabled ? "" : ", disabled") + ".");
        } catch (ApiException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/users";
    }

    private static Role role(String text) {
        try {
            return Role.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
