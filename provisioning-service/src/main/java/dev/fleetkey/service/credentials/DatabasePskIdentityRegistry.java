package dev.fleetkey.service.credentials;

import dev.fleetkey.service.system.UniqueClaims;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * PSK identities claimed in {@code psk_identities}, whose primary key compares them bit for bit across
 * every service instance and restart. Claims are never released: an identity is not reused, not even after
 * its credential is revoked. A lost claim leaves the caller's transaction usable, and a claim made for a
 * provisioning that rolls back disappears with it ({@link UniqueClaims}).
 */
@Component
class DatabasePskIdentityRegistry implements PskIdentityRegistry {

    private final JdbcClient jdbc;
    private final UniqueClaims claims;

    DatabasePskIdentityRegistry(JdbcClient jdbc, UniqueClaims claims) {
        this.jdbc = jdbc;
        this.claims = claims;
    }

    @Override
    public boolean reserve(byte[] identity) {
        return claims.claim(jdbc.sql("INSERT INTO psk_identities (identity, reserved_at) VALUES (:identity, :at)")
                .param("identity", identity)
                .param("at", OffsetDateTime.now(ZoneOffset.UTC)));
    }
}
