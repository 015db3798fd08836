package dev.fleetkey.service.logins;

import java.time.Instant;

/**
 * A user's API token as lists show it: never the token itself, which exists only in the answer that made it.
 *
 * @param lastUsedAt to the minute (the filter writes it at most once a minute), or null if never used
 */
public record UserToken(long id, String username, String name, Instant createdAt, Instant expiresAt,
        Instant lastUsedAt, Instant revokedAt, String revokedBy) {

    /** {@code active}, {@code expired} or {@code revoked} at {@code now}. */
    public String status(Instant now) {
        if (revokedAt != null) {
            return "revoked";
        }
        return expiresAt.isAfter(now) ? "active" : "expired";
    }

    public boolean active(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }
}
