package dev.fleetkey.service.stations;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Who is calling: a station, or a user (administrator) by name. */
public final class Callers {

    private Callers() {
    }

    /** The station making the current request, if a station is. */
    public static Optional<StationPrincipal> station() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof StationPrincipal p ? Optional.of(p) : Optional.empty();
    }

    /** The scope of idempotency keys: {@code station:<id>} or {@code user:<name>}. */
    public static String idempotencyScope() {
        return station().map(p -> "station:" + p.station().id()).orElseGet(() -> {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            return "user:" + (auth == null ? "anonymous" : auth.getName());
        });
    }
}
