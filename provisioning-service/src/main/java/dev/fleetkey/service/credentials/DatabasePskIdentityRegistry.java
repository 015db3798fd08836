package dev.fleetkey.service.credentials;

import dev.fleetkey.service.system.ChunkWrites;
import dev.fleetkey.service.system.UniqueClaims;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
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

    private static final String INSERT = "INSERT INTO psk_identities (identity, reserved_at) VALUES (:identity, :at)";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final UniqueClaims claims;

    DatabasePskIdentityRegistry(JdbcClient jdbc, NamedParameterJdbcTemplate batch, UniqueClaims claims) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.claims = claims;
    }

    /**
     * {@inheritDoc} In a batch's chunk ({@link ChunkWrites}) the identity is checked against the chunk's others in
     * memory and written with them in one JDBC batch; the primary key checks it against every other at that insert
     * (a conflict there fails the chunk's batch, which is then provisioned item by item).
     */
    @Override
    public boolean reserve(byte[] identity) {
        MapSqlParameterSource row = new MapSqlParameterSource().addValue("identity", identity)
                .addValue("at", OffsetDateTime.now(ZoneOffset.UTC));
        Optional<ChunkWrites> chunk = ChunkWrites.current();
        if (chunk.isPresent()) {
            if (!chunk.get().claim("psk_identities", ByteBuffer.wrap(identity.clone()))) {
                return false;
            }
            chunk.get().add("psk_identities", rows -> batch.batchUpdate(INSERT, rows.toArray(SqlParameterSource[]::new)),
                    row);
            return true;
        }
        return claims.claim(jdbc.sql(INSERT).paramSource(row));
    }
}
