package dev.fleetkey.service.system;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Claims for good whatever a row's unique key names (a PSK identity, a certificate serial, a public key): the
 * insert either makes the claim or finds it taken, in every service instance and after every restart. Each
 * feature writes its own table; this is only how the insert runs.
 *
 * <p>The insert runs in a nested transaction (a savepoint): a claim that loses against another leaves the
 * caller's transaction usable (PostgreSQL aborts a transaction on any failed statement), and a claim made in a
 * transaction that later rolls back is rolled back with it.
 */
@Component
public class UniqueClaims {

    private final TransactionTemplate nested;

    UniqueClaims(PlatformTransactionManager transactions) {
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Runs {@code insert}.
     *
     * @return false if a row with its unique key exists already
     */
    public boolean claim(JdbcClient.StatementSpec insert) {
        try {
            nested.executeWithoutResult(status -> insert.update());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }
}
