package dev.fleetkey.service.web;

import dev.fleetkey.service.users.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** The logged-in user as the pages need it: name and what the navigation may offer. */
public record Viewer(String name, Role role) {

    static Viewer of(Authentication auth) {
        if (auth == null || !auth.isAuthenticated() || "anonymousUser".equals(auth.getName())) {
            return null;
        }
        Role role = auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring("ROLE_".length()))
                .filter(r -> r.equals("ADMIN") || r.equals("OPERATOR") || r.equals("AUDITOR"))
                .map(Role::valueOf)
                .sorted()
                .findFirst().orElse(Role.AUDITOR);
        return new Viewer(auth.getName(), role);
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }

    /** May provision, revoke, rotate and download bundles. */
    public boolean operates() {
        return role == Role.ADMIN || role == Role.OPERATOR;
    }

    /** May read the audit log and the CAs. */
    public boolean audits() {
        return role == Role.ADMIN || role == Role.AUDITOR;
    }
}
