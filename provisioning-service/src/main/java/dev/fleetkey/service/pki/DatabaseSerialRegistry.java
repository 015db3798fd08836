package dev.fleetkey.service.pki;

import dev.fleetkey.service.system.ChunkWrites;
import dev.fleetkey.service.system.UniqueClaims;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Serial numbers claimed in {@code certificate_serials}, whose primary key (issuer, serial) makes a second
 * claim fail in every service instance and after every restart. A claim made for a provisioning that later
 * rolls back is rolled back with it, as its certificate never existed ({@link UniqueClaims}).
 */
@Component
class DatabaseSerialRegistry implements SerialRegistry {

    private static final String INSERT = """
            INSERT INTO certificate_serials (issuer, serial, reserved_at) VALUES (:issuer, :serial, :at)""";

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;
    private final UniqueClaims claims;

    DatabaseSerialRegistry(JdbcClient jdbc, NamedParameterJdbcTemplate batch, UniqueClaims claims) {
        this.jdbc = jdbc;
        this.batch = batch;
        this.claims = claims;
    }

    /**
     * {@inheritDoc} In a batch's chunk ({@link ChunkWrites}) the serial is checked against the chunk's others in
     * memory and written with them in one JDBC batch; the primary key checks it against every other at that insert
     * (a conflict there fails the chunk's batch, which is then provisioned item by item).
     */
    @Override
    public boolean reserve(String issuerSubject, BigInteger serial) {
        MapSqlParameterSource row = new MapSqlParameterSource().addValue("issuer", issuerSubject)
                .addValue("serial", serial.toString(16)).addValue("at", OffsetDateTime.now(ZoneOffset.UTC));
        Optional<ChunkWrites> chunk = ChunkWrites.current();
        if (chunk.isPresent()) {
            if (!chunk.get().claim("certificate_serials", issuerSubject + "/" + serial.toString(16))) {
                return false;
            }
            chunk.get().add("certificate_serials",
                    rows -> batch.batchUpdate(INSERT, rows.toArray(SqlParameterSource[]::new)), row);
            return true;
        }
        return claims.claim(jdbc.sql(INSERT).paramSource(row));
    }
}
