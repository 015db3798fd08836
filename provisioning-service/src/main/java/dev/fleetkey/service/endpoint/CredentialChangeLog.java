package dev.fleetkey.service.endpoint;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.fleetkey.bundle.Eui64;

/**
 * The devices whose credentials changed, in the database ({@code endpoint_credential_changes}), so the
 * endpoint of every instance sharing it learns of a revocation or rotation without a restart. The feature
 * that changes a device's credentials calls {@link #deviceChanged} in the same transaction; this instance's
 * endpoint hears of it as soon as that transaction commits, the others on their next poll
 * ({@link CredentialChangeWatcher}).
 */
@Repository
public class CredentialChangeLog {

    /** One change read back from the log. */
    record Change(long sequence, Eui64 device) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock = Clock.systemUTC();
    private final List<Consumer<Set<Eui64>>> localListeners = new CopyOnWriteArrayList<>();

    CredentialChangeLog(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
    }

    /**
     * Records that {@code device}'s credentials or state changed, in the caller's transaction (or a new one).
     * Changes are serialised through one counter row until the transaction ends: they are rare (revocations,
     * rotations, re-provisioning), never one per provisioned device.
     */
    public void deviceChanged(Eui64 device) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE endpoint_change_counter SET last_sequence = last_sequence + 1 WHERE id = 1").update();
            long sequence = jdbc.sql("SELECT last_sequence FROM endpoint_change_counter WHERE id = 1")
                    .query(Long.class).single();
            jdbc.sql("INSERT INTO endpoint_credential_changes (sequence_number, eui64, changed_at)"
                            + " VALUES (:sequence, :eui64, :now)")
                    .param("sequence", sequence).param("eui64", device.canonical())
                    .param("now", clock.instant().atOffset(ZoneOffset.UTC)).update();
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        tellLocalListeners(Set.of(device));
                    }
                });
            }
        });
    }

    /** {@code listener} hears of this instance's changes right after they commit. */
    void onLocalChange(Consumer<Set<Eui64>> listener) {
        localListeners.add(listener);
    }

    /** The newest sequence number committed. */
    long latestSequence() {
        return jdbc.sql("SELECT last_sequence FROM endpoint_change_counter WHERE id = 1").query(Long.class).single();
    }

    /** The changes after {@code sequence}, oldest first, at most {@code limit}. */
    List<Change> after(long sequence, int limit) {
        List<Change> changes = new ArrayList<>();
        jdbc.sql("SELECT sequence_number, eui64 FROM endpoint_credential_changes WHERE sequence_number > :after"
                        + " ORDER BY sequence_number FETCH FIRST :limit ROWS ONLY")
                .param("after", sequence).param("limit", limit)
                .query(rs -> {
                    changes.add(new Change(rs.getLong(1), Eui64.parse(rs.getString(2))));
                });
        return changes;
    }

    /** Deletes changes older than {@code cutoff}: an endpoint that starts reads from the newest one. */
    int prune(Instant cutoff) {
        return jdbc.sql("DELETE FROM endpoint_credential_changes WHERE changed_at < :cutoff")
                .param("cutoff", cutoff.atOffset(ZoneOffset.UTC)).update();
    }

    private void tellLocalListeners(Set<Eui64> devices) {
        localListeners.forEach(listener -> listener.accept(devices));
    }
}
