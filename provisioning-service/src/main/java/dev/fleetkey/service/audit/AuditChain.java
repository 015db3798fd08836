package dev.fleetkey.service.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends audit entries to a SHA-256 hash chain and checks the chain. An append joins the caller's
 * transaction (or opens one), locks the chain head row, writes the entry after the head and moves the head:
 * entries are kept exactly when the change they describe is, and concurrent writers queue at the head
 * instead of forking the chain. {@link #appendAtCommit} defers the write to just before the commit so the
 * head is held only briefly. Verification walks the chain in order and names the first entry that no
 * longer fits: a changed field, a removed or inserted row, or deleted newest entries.
 */
@Component
public class AuditChain implements InitializingBean {

    static final String COLUMNS =
            "id, chain_seq, occurred_at, actor, action, subject, remote_address, prev_hash, entry_hash";
    private static final Logger log = LoggerFactory.getLogger(AuditChain.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    AuditChain(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    private record Head(long seq, String hash) {
    }

    /** Appends one entry after the current head; returns it as stored. */
    @Transactional
    public AuditEntry append(String actor, String action, String subject, String remoteAddress) {
        Head head = lockHead();
        long seq = head.seq() + 1;
        Instant at = AuditHashes.storable(Instant.now());
        String hash = insert(seq, at, actor, action, subject, remoteAddress, head.hash());
        moveHead(seq, hash);
        long id = jdbc.sql("SELECT id FROM audit_events WHERE chain_seq = :seq").param("seq", seq).query(Long.class).single();
        return new AuditEntry(id, seq, at, actor, action, subject, remoteAddress, head.hash(), hash);
    }

    /**
     * Appends one entry as part of the caller's transaction, written just before it commits: the chain head
     * is locked only for the commit instead of from the first audited step to the end (a provisioning
     * signs certificates and bundles after its first audit entry). The entry is kept exactly when the
     * transaction commits. Without a transaction this is {@link #append}.
     */
    public void appendAtCommit(String actor, String action, String subject, String remoteAddress) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || !TransactionSynchronizationManager.isActualTransactionActive()) {
            append(actor, action, subject, remoteAddress);
            return;
        }
        PendingEntries pending = (PendingEntries) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            pending = new PendingEntries();
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        pending.entries.add(new Pending(AuditHashes.storable(Instant.now()), actor, action, subject, remoteAddress));
    }

    private record Pending(Instant at, String actor, String action, String subject, String remoteAddress) {
    }

    /** The entries of one transaction, written in order before it commits; follows the transaction if suspended. */
    private final class PendingEntries implements TransactionSynchronization {
        final List<Pending> entries = new ArrayList<>();

        @Override
        public void beforeCommit(boolean readOnly) {
            Head head = lockHead();
            long seq = head.seq();
            String prev = head.hash();
            for (Pending e : entries) {
                seq++;
                prev = insert(seq, e.at(), e.actor(), e.action(), e.subject(), e.remoteAddress(), prev);
            }
            moveHead(seq, prev);
            entries.clear();
        }

        @Override
        public void suspend() {
            TransactionSynchronizationManager.unbindResource(AuditChain.this);
        }

        @Override
        public void resume() {
            TransactionSynchronizationManager.bindResource(AuditChain.this, this);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(AuditChain.this);
        }
    }

    /** Writes one entry after {@code prevHash}; returns its hash. */
    private String insert(long seq, Instant at, String actor, String action, String subject, String remoteAddress,
            String prevHash) {
        String hash = AuditHashes.entryHash(seq, at, actor, action, subject, remoteAddress, prevHash);
        jdbc.sql("""
                INSERT INTO audit_events (occurred_at, actor, action, subject, remote_address, chain_seq, prev_hash, entry_hash)
                VALUES (:at, :actor, :action, :subject, :remote, :seq, :prev, :hash)""")
                .param("at", at.atOffset(ZoneOffset.UTC))
                .param("actor", actor)
                .param("action", action)
                .param("subject", subject)
                .param("remote", remoteAddress)
                .param("seq", seq)
                .param("prev", prevHash)
                .param("hash", hash)
                .update();
        return hash;
    }

    /**
     * Checks every entry up to the head as it was when the check began (entries appended meanwhile are
     * left for the next check). One pass in chain order; entries are checked as they are read, not collected.
     */
    @Transactional(readOnly = true)
    public ChainVerification verify() {
        Head head = jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
        Optional<AuditEntry> unchained = jdbc.sql("SELECT " + COLUMNS
                        + " FROM audit_events WHERE chain_seq IS NULL OR entry_hash IS NULL OR prev_hash IS NULL ORDER BY id")
                .query(AuditChain::entry).stream().findFirst();
        Walk walk = new Walk();
        jdbc.sql("SELECT " + COLUMNS + " FROM audit_events WHERE chain_seq <= :last ORDER BY chain_seq")
                .param("last", head.seq())
                .query((RowCallbackHandler) rs -> walk.next(entry(rs, 0)));
        if (walk.result != null) {
            return walk.result;
        }
        if (unchained.isPresent()) {
            AuditEntry e = unchained.get();
            return ChainVerification.broken(walk.checked, e.id(), e.chainSeq(), "entry " + e.id()
                    + " has no place in the chain (its chain position or hashes are missing): it was written or edited around the audit log");
        }
        if (walk.checked != head.seq() || !walk.previousHash.equals(head.hash())) {
            return ChainVerification.broken(walk.checked, null, walk.checked + 1, "the chain ends at entry position "
                    + walk.checked + " but its head says " + head.seq() + ": the newest entries were deleted or replaced");
        }
        return ChainVerification.intact(walk.checked);
    }

    /** One pass over the chain in order; stops judging at the first break. */
    private static final class Walk {
        long checked;
        String previousHash = AuditHashes.GENESIS;
        ChainVerification result;

        void next(AuditEntry e) {
            if (result != null) {
                return;
            }
            long expected = checked + 1;
            if (e.chainSeq() != expected) {
                result = ChainVerification.broken(checked, e.id(), expected, "entry position " + expected
                        + " is missing (the next entry, " + e.id() + ", is at position " + e.chainSeq() + "): an entry was deleted");
            } else if (!previousHash.equals(e.prevHash())) {
                result = ChainVerification.broken(checked, e.id(), expected, "entry " + e.id()
                        + " does not link to the entry before it: that entry or this link was changed");
            } else if (!AuditHashes.entryHash(e).equals(e.entryHash())) {
                result = ChainVerification.broken(checked, e.id(), expected, "entry " + e.id()
                        + " was changed after it was written: its content no longer matches its hash");
            } else {
                checked = expected;
                previousHash = e.entryHash();
            }
        }
    }

    /**
     * Entries written before the chain existed (an older database) are chained once, in id order, so the
     * log verifies from then on. Only runs while no chained entry exists yet.
     */
    @Override
    public void afterPropertiesSet() {
        transaction.executeWithoutResult(status -> {
            Head head = lockHead();
            if (head.seq() > 0) {
                return;
            }
            List<AuditEntry> legacy = new ArrayList<>(jdbc.sql("SELECT " + COLUMNS
                    + " FROM audit_events WHERE chain_seq IS NULL ORDER BY id").query(AuditChain::entry).list());
            String prev = head.hash();
            long seq = 0;
            for (AuditEntry e : legacy) {
                seq++;
                String hash = AuditHashes.entryHash(seq, e.occurredAt(), e.actor(), e.action(), e.subject(),
                        e.remoteAddress(), prev);
                jdbc.sql("UPDATE audit_events SET chain_seq = :seq, prev_hash = :prev, entry_hash = :hash WHERE id = :id")
                        .param("seq", seq).param("prev", prev).param("hash", hash).param("id", e.id())
                        .update();
                prev = hash;
            }
            if (seq > 0) {
                moveHead(seq, prev);
                log.info("Chained {} audit entries written before the audit hash chain existed", seq);
            }
        });
    }

    private Head lockHead() {
        return jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    private void moveHead(long seq, String hash) {
        jdbc.sql("UPDATE audit_chain_head SET last_seq = :seq, last_hash = :hash WHERE id = 1")
                .param("seq", seq).param("hash", hash).update();
    }

    static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        long seq = rs.getLong("chain_seq");
        Long chainSeq = rs.wasNull() ? null : seq;
        OffsetDateTime at = rs.getObject("occurred_at", OffsetDateTime.class);
        return new AuditEntry(rs.getLong("id"), chainSeq, at.toInstant(), rs.getString("actor"),
                rs.getString("action"), rs.getString("subject"), rs.getString("remote_address"),
                rs.getString("prev_hash"), rs.getString("entry_hash"));
    }
}
