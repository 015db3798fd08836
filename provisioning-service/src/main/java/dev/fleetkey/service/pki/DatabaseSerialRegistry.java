package dev.fleetkey.service.pki;

import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Serial numbers claimed in {@code certificate_serials}, whose primary key (issuer, serial) makes a second
 * claim fail in every service instance and after every restart.
 *
 * <p>The insert runs in a nested transaction (a savepoint): a claim that loses against another leaves the
 * caller's transaction usable (PostgreSQL aborts a transaction on any failed statement), and a claim made
 * for a provisioning that later rolls back is rolled back with it, as its certificate never existed.
 */
@Component
class DatabaseSerialRegistry implements SerialRegistry {

    private final JdbcClient jdbc;
    private final TransactionTemplate nested;

    DatabaseSerialRegistry(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public boolean reserve(String issuerSubject, BigInteger serial) {
        try {
            nested.executeWithoutResult(status -> jdbc.sql("""
                    INSERT INTO certificate_serials (issuer, serial, reserved_at) VALUES (:issuer, :serial, :at)""")
                    .param("issuer", issuerSubject)
                    .param("serial", serial.toString(16))
                    .param("at", OffsetDateTime.now(ZoneOffset.UTC))
                    .update());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }
}
