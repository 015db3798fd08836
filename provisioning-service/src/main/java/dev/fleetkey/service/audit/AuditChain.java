package dev.fleetkey.service.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends audit entries to a keyed hash chain and checks the chain. Each entry's link is the HMAC-SHA256,
 * under a key held by the key store ({@link AuditKey}), of its content and the previous link, so rewriting
 * an entry and recomputing the chain after it needs the key, not only the database. An append joins the caller's
 * transaction (or opens one), locks the chain head row, writes the entry after the head and moves the head:
 * entries are kept exactly when the change they describe is, and concurrent writers queue at the head
 * instead of forking the chain. {@link #appendAtCommit} defers the write to just before the commit so the
 * head is held only briefly. Verification walks the chain in order and names the first entry that no
 * longer fits: a changed field, a link made without the key, a removed or inserted row, or deleted newest
 * entries (found against the head, or against signed checkpoints, {@link AuditCheckpoints}, when the head was
 * moved back too).
 */
@Component
public class AuditChain implements InitializingBean {

    static final String COLUMNS =
            "id, chain_seq, occurred_at, actor, action, subject, remote_address, prev_hash, entry_hash";
    private static final Logger log = LoggerFactory.getLogger(AuditChain.class);

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final TransactionTemplate transaction;
    private final AuditKey key;
    private final CheckpointStore checkpoints;

    AuditChain(JdbcClient jdbc, JdbcTemplate batches, TransactionTemplate transaction, AuditKey key,
            CheckpointStore checkpoints) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.transaction = transaction;
        this.key = key;
        this.checkpoints = checkpoints;
    }

    /** The newest link: its chain position and its hash (a MAC on the keyed chain). */
    record Head(long seq, String hash) {
    }

    /** Appends one entry after the current head; returns it as stored. */
    @Transactional
    public AuditEntry append(String actor, String action, String subject, String remoteAddress) {
        Head head = lockHead();
        long seq = head.seq() + 1;
        Instant at = AuditHashes.storable(Instant.now());
        String hash = insert(key.newMac(), seq, at, actor, action, subject, remoteAddress, head.hash());
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

    /**
     * How many entries the current transaction holds back for its commit: a mark for
     * {@link #discardPendingAfter}. Zero outside a transaction.
     */
    public int pendingEntries() {
        PendingEntries pending = currentPending();
        return pending == null ? 0 : pending.entries.size();
    }

    /**
     * Forgets the entries appended by {@link #appendAtCommit} since {@code mark} ({@link #pendingEntries}): the
     * caller rolled its transaction back to a savepoint taken at the mark, so the changes they describe are gone
     * and the entries must not be written either.
     */
    public void discardPendingAfter(int mark) {
        PendingEntries pending = currentPending();
        if (pending != null && mark < pending.entries.size()) {
            pending.entries.subList(Math.max(0, mark), pending.entries.size()).clear();
        }
    }

    private PendingEntries currentPending() {
        return TransactionSynchronizationManager.isSynchronizationActive()
                ? (PendingEntries) TransactionSynchronizationManager.getResource(this) : null;
    }

    private record Pending(Instant at, String actor, String action, String subject, String remoteAddress) {
    }

    /**
     * The entries of one transaction, chained in memory and written in order before it commits, as one JDBC
     * batch with one move of the head; follows the transaction if suspended.
     */
    private final class PendingEntries implements TransactionSynchronization {
        final List<Pending> entries = new ArrayList<>();

        @Override
        public void beforeCommit(boolean readOnly) {
            if (entries.isEmpty()) {
                return;
            }
            Head head = lockHead();
            long seq = head.seq();
            String prev = head.hash();
            Mac mac = key.newMac();
            List<Object[]> rows = new ArrayList<>(entries.size());
            for (Pending e : entries) {
                seq++;
                String hash = AuditHashes.entryMac(mac, seq, e.at(), e.actor(), e.action(), e.subject(), e.remoteAddress(),
                        prev);
                rows.add(new Object[] {e.at().atOffset(ZoneOffset.UTC), e.actor(), e.action(), e.subject(),
                        e.remoteAddress(), seq, prev, hash});
                prev = hash;
            }
            batches.batchUpdate("INSERT INTO audit_events (occurred_at, actor, action, subject, remote_address, chain_seq,"
                    + " prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows);
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

    /** Writes one entry after {@code prevHash}; returns its link (the MAC under the audit key). */
    private String insert(Mac mac, long seq, Instant at, String actor, String action, String subject, String remoteAddress,
            String prevHash) {
        String hash = AuditHashes.entryMac(mac, seq, at, actor, action, subject, remoteAddress, prevHash);
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

    /** {@link #verify(List)} against the stored checkpoints only. */
    @Transactional(readOnly = true)
    public ChainVerification verify() {
        return verify(List.of());
    }

    /**
     * Checks every entry up to the head as it was when the check began (entries appended meanwhile are
     * left for the next check), against the stored signed checkpoints and {@code supplied} ones (e.g. from an
     * auditor's exported file, already checked to be signed by this service). One pass in chain order;
     * entries are checked as they are read, not collected. Names the first entry that no longer fits: a
     * changed field, a link not made with the audit key, a removed or inserted row, newest entries deleted
     * (against the head, or against a checkpoint when the head was moved back too).
     */
    @Transactional(readOnly = true)
    public ChainVerification verify(List<AuditCheckpoint> supplied) {
        State state = state();
        Map<Long, List<AuditCheckpoint>> bySeq = new HashMap<>();
        AuditCheckpoint newest = null;
        // a file exported from this database repeats the stored checkpoints: each counts once
        Set<AuditCheckpoint> all = new LinkedHashSet<>(supplied);
        ChainVerification.Break badStored = null;
        for (byte[] signed : checkpoints.allSigned()) {
            try {
                all.add(checkpoints.open(signed));
            } catch (InvalidCheckpointException e) {
                badStored = badStored != null ? badStored : new ChainVerification.Break(null, null,
                        "a checkpoint stored in the database was refused (" + e.getMessage() + "): it was altered");
            }
        }
        for (AuditCheckpoint c : all) {
            bySeq.computeIfAbsent(c.chainSeq(), seq -> new ArrayList<>()).add(c);
            newest = newest == null || c.chainSeq() > newest.chainSeq() ? c : newest;
        }
        ChainVerification.Coverage coverage = new ChainVerification.Coverage(state.keyedFromSeq() - 1, all.size(),
                newest == null ? null : newest.summary());
        ChainWalk walk = walk(state, 0, AuditHashes.GENESIS, state.head().seq(), bySeq);
        if (walk.result != null) {
            return ChainVerification.broken(walk.checked, walk.result, coverage);
        }
        Optional<AuditEntry> unchained = jdbc.sql("SELECT " + COLUMNS
                        + " FROM audit_events WHERE chain_seq IS NULL OR entry_hash IS NULL OR prev_hash IS NULL ORDER BY id")
                .query(AuditChain::entry).stream().findFirst();
        if (unchained.isPresent()) {
            AuditEntry e = unchained.get();
            return ChainVerification.broken(walk.checked, new ChainVerification.Break(e.id(), e.chainSeq() == null
                    ? walk.checked + 1 : e.chainSeq(), "entry " + e.id() + " has no place in the chain (its chain"
                    + " position or hashes are missing): it was written or edited around the audit log"), coverage);
        }
        if (walk.checked < state.keyedFromSeq() - 1) {
            return ChainVerification.broken(walk.checked, new ChainVerification.Break(null, walk.checked + 1,
                    "the chain ends at entry position " + walk.checked + " but the keyed chain begins after position "
                            + (state.keyedFromSeq() - 1) + ": the newest entries were deleted"), coverage);
        }
        Head head = state.head();
        if (walk.checked != head.seq() || !walk.previousHash.equals(head.hash())) {
            return ChainVerification.broken(walk.checked, new ChainVerification.Break(null, walk.checked + 1,
                    "the chain ends at entry position " + walk.checked + " but its head says " + head.seq()
                            + ": the newest entries were deleted or replaced"), coverage);
        }
        if (newest != null && newest.chainSeq() > walk.checked) {
            return ChainVerification.broken(walk.checked, new ChainVerification.Break(null, walk.checked + 1,
                    "the chain ends at entry position " + walk.checked + " but signed checkpoint " + newest.checkpoint()
                            + " (" + newest.signedAt() + ") covers entries up to position " + newest.chainSeq()
                            + ": the newest entries were deleted and the head moved back"), coverage);
        }
        if (badStored != null) {
            return ChainVerification.broken(walk.checked, badStored, coverage);
        }
        return ChainVerification.intact(walk.checked, coverage);
    }

    /**
     * Walks the chain from a trusted point ({@code startSeq}, whose link is {@code startHash}) up to
     * {@code toSeq}, checking the entries on the way; stops at the first break.
     */
    ChainWalk walk(State state, long startSeq, String startHash, long toSeq,
            Map<Long, List<AuditCheckpoint>> bySeq) {
        ChainWalk walk = new ChainWalk(key.newMac(), state.keyedFromSeq(), state.keyedFromMac(), startSeq, startHash,
                bySeq);
        jdbc.sql("SELECT " + COLUMNS + " FROM audit_events WHERE chain_seq > :from AND chain_seq <= :last ORDER BY chain_seq")
                .param("from", startSeq)
                .param("last", toSeq)
                .query((RowCallbackHandler) rs -> walk.next(entry(rs, 0)));
        return walk;
    }

    /** The head and where the keyed chain begins, as stored (not yet checked). */
    record State(Head head, long keyedFromSeq, String keyedFromMac) {
    }

    /**
     * The chain's state. Without a recorded switch point (the key store has the audit key but the database
     * lost the record) every entry is held to the keyed chain; a recorded switch point must carry its MAC.
     */
    State state() {
        return jdbc.sql("SELECT last_seq, last_hash, keyed_from_seq, keyed_from_mac FROM audit_chain_head WHERE id = 1")
                .query((rs, n) -> {
                    Head head = new Head(rs.getLong(1), rs.getString(2));
                    long from = rs.getLong(3);
                    if (rs.wasNull()) {
                        return new State(head, 1, null);
                    }
                    String mac = rs.getString(4);
                    return new State(head, Math.max(1, from), mac == null ? "" : mac);
                }).single();
    }

    /**
     * On first start with the audit key, records where the keyed chain begins (after every entry written so
     * far, which stay unkeyed) with its MAC, then stores the key. Entries written before the chain existed
     * at all (a database from before V4) are chained once, in id order, so the log verifies from then on.
     */
    @Override
    public void afterPropertiesSet() {
        transaction.executeWithoutResult(status -> {
            Head head = lockHead();
            if (key.isNew()) {
                State before = state();
                if (before.keyedFromMac() != null) {
                    log.warn("The audit key is new but the database records a keyed audit chain from position {}:"
                            + " the key store was replaced, so entries up to {} can no longer be verified",
                            before.keyedFromSeq(), head.seq());
                }
                long from = head.seq() + 1;
                jdbc.sql("UPDATE audit_chain_head SET keyed_from_seq = :from, keyed_from_mac = :mac WHERE id = 1")
                        .param("from", from).param("mac", AuditHashes.keyedFromMac(key.newMac(), from, head.hash()))
                        .update();
                if (head.seq() > 0) {
                    log.info("Audit entries 1 to {} stay on the unkeyed SHA-256 chain; the keyed chain begins at {}",
                            head.seq(), from);
                }
            }
            if (head.seq() > 0) {
                return;
            }
            List<AuditEntry> legacy = new ArrayList<>(jdbc.sql("SELECT " + COLUMNS
                    + " FROM audit_events WHERE chain_seq IS NULL ORDER BY id").query(AuditChain::entry).list());
            String prev = head.hash();
            long seq = 0;
            Mac mac = key.newMac();
            for (AuditEntry e : legacy) {
                seq++;
                String hash = AuditHashes.entryMac(mac, seq, e.occurredAt(), e.actor(), e.action(), e.subject(),
                        e.remoteAddress(), prev);
                jdbc.sql("UPDATE audit_events SET chain_seq = :seq, prev_hash = :prev, entry_hash = :hash WHERE id = :id")
                        .param("seq", seq).param("prev", prev).param("hash", hash).param("id", e.id())
                        .update();
                prev = hash;
            }
            if (seq > 0) {
                moveHead(seq, prev);
                log.info("Chained {} audit entries written before the audit chain existed", seq);
            }
        });
        key.store();
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
