package dev.fleetkey.service.logins;

import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.web.PageController;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "API tokens": every logged-in user lists, makes and revokes their own personal API tokens. A new token is
 * shown once, in the answer to the form (not through a redirect, so it is never kept in the session).
 */
@PageController
class TokenPageController {

    static final String VIEW_LIST = "tokens/list";
    static final String VIEW_CREATED = "tokens/created";

    private final UserTokens tokens;

    TokenPageController(UserTokens tokens) {
        this.tokens = tokens;
    }

    /** The create form as typed, so a refused form comes back filled in. */
    record NewToken(String name, String expiresInDays) {
    }

    @GetMapping("/tokens")
    String list(Authentication viewer, Model model) {
        model.addAttribute("tokens", tokens.of(viewer.getName()));
        model.addAttribute("now", tokens.now());
        model.addAttribute("maxDays", UserTokens.MAX_DAYS);
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new NewToken("", Integer.toString(UserTokens.DEFAULT_DAYS)));
        }
        return VIEW_LIST;
    }

    @PostMapping("/tokens")
    String create(@RequestParam(name = "name", defaultValue = "") String name,
            @RequestParam(name = "expiresInDays", defaultValue = "") String expiresInDays, Authentication viewer, Model model) {
        try {
            UserTokens.Created created = tokens.create(viewer.getName(), name, days(expiresInDays));
            model.addAttribute("token", created.token());
            model.addAttribute("secret", created.secret());
            return VIEW_CREATED;
        } catch (FleetkeyException e) {
            model.addAttribute("form", new NewToken(name, expiresInDays));
            model.addAttribute("formError", e.getMessage());
            model.addAttribute("formErrorField", e.field());
            return list(viewer, model);
        }
    }

    @PostMapping("/tokens/{id}/revoke")
    String revoke(@PathVariable("id") long id, Authentication viewer, RedirectAttributes redirect) {
        try {
            UserToken revoked = tokens.revoke(id, viewer.getName(), false);
            redirect.addFlashAttribute("notice", "API token " + revoked.name() + " was revoked.");
        } catch (FleetkeyException e) {
            redirect.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/tokens";
    }

    private static Integer days(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidFieldException("expiresInDays", "Give the days until the token expires as a whole number"
                    + " from 1 to " + UserTokens.MAX_DAYS);
        }
    }
}
