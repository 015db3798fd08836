package dev.fleetkey.service.logins;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.callers.CallerAuthentication;
import dev.fleetkey.service.users.Role;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request authenticated by a user's API token: it acts as the user (the name in audit entries and
 * idempotency scopes) with the role the user has now. Holds the token's id, never the token.
 */
public final class UserTokenAuthentication extends AbstractAuthenticationToken implements CallerAuthentication {

    private static final long serialVersionUID = 1L;
    private final String username;
    private final Role role;
    private final long tokenId;

    UserTokenAuthentication(String username, Role role, long tokenId) {
        super(List.of(new SimpleGrantedAuthority("ROLE_" + role.name())));
        this.username = username;
        this.role = role;
        this.tokenId = tokenId;
        setAuthenticated(true);
    }

    /** Whether {@code authentication} came from an API token rather than a password or session. */
    public static boolean isToken(Authentication authentication) {
        return authentication instanceof UserTokenAuthentication;
    }

    public long tokenId() {
        return tokenId;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return username;
    }

    @Override
    public String getName() {
        return username;
    }

    @Override
    public Caller caller() {
        return new Caller.User(username, role, Caller.Via.API_TOKEN);
    }
}
