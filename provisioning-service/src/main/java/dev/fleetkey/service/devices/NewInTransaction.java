package dev.fleetkey.service.devices;

import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Ids of rows the current database transaction inserted, which no other transaction can see before it commits.
 * Bound to the transaction's connection: another transaction (an inner one started apart, the next one on the
 * thread) sees none of them, so a wrong answer can only be "not new", which costs a lock and a read, never a
 * shared number.
 */
final class NewInTransaction {

    private final DataSource dataSource;

    NewInTransaction(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    private record Ids(Object transaction, Set<Long> ids) {
    }

    /** Remembers {@code id} as inserted by the current transaction (nothing outside a transaction). */
    void add(long id) {
        Object transaction = TransactionSynchronizationManager.getResource(dataSource);
        if (transaction == null || !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        Ids bound = (Ids) TransactionSynchronizationManager.getResource(this);
        if (bound == null || bound.transaction() != transaction) {
            if (bound != null) {
                TransactionSynchronizationManager.unbindResource(this);
            }
            bound = new Ids(transaction, new HashSet<>());
            TransactionSynchronizationManager.bindResource(this, bound);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(NewInTransaction.this);
                }
            });
        }
        bound.ids().add(id);
    }

    /** Whether the current transaction inserted {@code id}; true only once per id. */
    boolean take(long id) {
        Ids bound = (Ids) TransactionSynchronizationManager.getResource(this);
        return bound != null && bound.transaction() == TransactionSynchronizationManager.getResource(dataSource)
                && bound.ids().remove(id);
    }
}
