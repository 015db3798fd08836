package dev.fleetkey.service.users;

import dev.fleetkey.service.logins.LoginThrottle;
import dev.fleetkey.service.logins.UserToken;
import dev.fleetkey.service.logins.UserTokens;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.web.PageController;
import java.util.Locale;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * ADMIN only: the logins, creating one, and changing a role or disabling a login; everyone's API tokens (revoke);
 * recent failed logins and locks of the login throttle (unlock).
 */
@PageController
class UserPageController {

    static final String VIEW = "users/list";

    private final UserAccounts accounts;
    private final UserAdministration administration;
    private final UserTokens tokens;
    private final LoginThrottle throttle;

    UserPageController(UserAccounts accounts, UserAdministration administration, UserTokens tokens, LoginThrottle throttle) {
        this.accounts = accounts;
        this.administration = administration;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    @GetMapping("/users")
    String list(Model model) {
        model.addAttribute("users", accounts.all());
        model.addAttribute("roles", Role.values());
        model.addAttribute("userTokens", tokens.all());
        model.addAttribute("loginFailures", throttle.recent());
        model.addAttribute("now", throttle.now());
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
        } catch (FleetkeyException e) {
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
        } catch (FleetkeyException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/users";
    }

    @PostMapping("/users/tokens/{id}/revoke")
    String revokeToken(@PathVariable("id") long id, Authentication admin, RedirectAttributes redirect) {
        try {
            UserToken revoked = tokens.revoke(id, admin.getName(), true);
            redirect.addFlashAttribute("notice", "API token " + revoked.name() + " of " + revoked.username() + " was revoked.");
        } catch (FleetkeyException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/users";
    }

    /** Lifts a lock of the login throttle and forgets the failures behind it. */
    @PostMapping("/users/login-locks")
    String unlock(@RequestParam(name = "kind") LoginThrottle.Kind kind, @RequestParam(name = "subject") String subject,
            RedirectAttributes redirect) {
        throttle.unlock(kind, subject);
        redirect.addFlashAttribute("notice", (kind == LoginThrottle.Kind.ACCOUNT ? "User name " : "Address ") + subject
                + " may log in again.");
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
