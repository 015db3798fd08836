package dev.fleetkey.service.pki;

import dev.fleetkey.service.system.UniqueClaims;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Serial numbers claimed in {@code certificate_serials}, whose primary key (issuer, serial) makes a second
 * claim fail in every service instance and after every restart. A claim made for a provisioning that later
 * rolls back is rolled back with it, as its certificate never existed ({@link UniqueClaims}).
 */
@Component
class DatabaseSerialRegistry implements SerialRegistry {

    private final JdbcClient jdbc;
    private final UniqueClaims claims;

    DatabaseSerialRegistry(JdbcClient jdbc, UniqueClaims claims) {
        this.jdbc = jdbc;
        this.claims = claims;
    }

    @Override
    public boolean reserve(String issuerSubject, BigInteger serial) {
        return claims.claim(jdbc.sql("""
                INSERT INTO certificate_serials (issuer, serial, reserved_at) VALUES (:issuer, :serial, :at)""")
                .param("issuer", issuerSubject)
                .param("serial", serial.toString(16))
                .param("at", OffsetDateTime.now(ZoneOffset.UTC)));
    }
}
