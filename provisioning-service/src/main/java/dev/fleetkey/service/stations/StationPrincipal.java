package dev.fleetkey.service.stations;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.callers.CallerAuthentication;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated station: who it is and the settings its requests are checked against. Holds no token.
 */
public record StationPrincipal(Station station) {

    /** The authority every station request carries (Spring's {@code hasRole("STATION")}). */
    public static final String ROLE = "ROLE_STATION";

    /** The name in audit events and idempotency scopes; stable across renames through the id. */
    public String auditName() {
        return "station:" + station.id() + ":" + station.name();
    }

    /** The Spring Security authentication for a station request. */
    static final class Authentication extends AbstractAuthenticationToken implements CallerAuthentication {

        private static final long serialVersionUID = 1L;
        private final transient StationPrincipal principal;

        Authentication(StationPrincipal principal) {
            super(List.of(new SimpleGrantedAuthority(ROLE)));
            this.principal = principal;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return principal;
        }

        @Override
        public String getName() {
            return principal.auditName();
        }

        @Override
        public Caller caller() {
            return new Caller.Station(principal.station().id(), principal.station().name());
        }
    }
}
