package dev.fleetkey.service.credentials;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * PSK identities claimed in {@code psk_identities}, whose primary key compares them bit for bit across
 * every service instance and restart. Claims are never released: an identity is not reused, not even after
 * its credential is revoked.
 *
 * <p>The insert runs in a nested transaction (a savepoint), so a lost claim leaves the caller's transaction
 * usable, and a claim made for a provisioning that rolls back disappears with it.
 */
@Component
class DatabasePskIdentityRegistry implements PskIdentityRegistry {

    private final JdbcClient jdbc;
    private final TransactionTemplate nested;

    DatabasePskIdentityRegistry(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    @Override
    public boolean reserve(byte[] identity) {
        try {
            nested.executeWithoutResult(status -> jdbc.sql(
                    "INSERT INTO psk_identities (identity, reserved_at) VALUES (:identity, :at)")
                    .param("identity", identity)
                    .param("at", OffsetDateTime.now(ZoneOffset.UTC))
                    .update());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }
}
