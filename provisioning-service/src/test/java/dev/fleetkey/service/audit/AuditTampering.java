package dev.fleetkey.service.audit;

import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an attacker with write access to the database, but not to the key store, can do to the audit log:
 * cut the newest entries and move the head back, or rewrite an entry and recompute every link after it
 * with a function of their choice. {@link Snapshot#restore} puts the rows back as they were.
 */
final class AuditTampering {

    private final JdbcClient jdbc;

    AuditTampering(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The chain's entries and head from position {@code fromSeq} on, to put back after a test. */
    Snapshot snapshotFrom(long fromSeq) {
        List<AuditEntry> entries = jdbc.sql("SELECT " + AuditChain.COLUMNS
                        + " FROM audit_events WHERE chain_seq >= :from ORDER BY chain_seq")
                .param("from", fromSeq).query(AuditChain::entry).list();
        Object[] head = jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).single();
        return new Snapshot(fromSeq, entries, (Long) head[0], (String) head[1]);
    }

    /** Deletes every entry after {@code keptSeq} and points the head at entry {@code keptSeq}. */
    void cutTailAfter(long keptSeq) {
        jdbc.sql("DELETE FROM audit_events WHERE chain_seq > :kept").param("kept", keptSeq).update();
        String hash = jdbc.sql("SELECT entry_hash FROM audit_events WHERE chain_seq = :kept").param("kept", keptSeq)
                .query(String.class).single();
        moveHead(keptSeq, hash);
    }

    /** A link function an attacker can compute: the entry's canonical form and its predecessor's hash. */
    interface Link {
        String of(AuditEntry entryWithPrevHash);
    }

    /**
     * Rewrites entry {@code seq} with {@code edit}, then recomputes it and every later entry with {@code link},
     * each linked to the one before, and moves the head to the last one.
     */
    void rewriteFrom(long seq, UnaryOperator<AuditEntry> edit, Link link) {
        List<AuditEntry> entries = jdbc.sql("SELECT " + AuditChain.COLUMNS
                        + " FROM audit_events WHERE chain_seq >= :from ORDER BY chain_seq")
                .param("from", seq).query(AuditChain::entry).list();
        String prev = entries.get(0).prevHash();
        long last = seq;
        for (AuditEntry e : entries) {
            AuditEntry edited = e.chainSeq() == seq ? edit.apply(e) : e;
            AuditEntry linked = new AuditEntry(edited.id(), edited.chainSeq(), edited.occurredAt(), edited.actor(),
                    edited.action(), edited.subject(), edited.remoteAddress(), prev, null);
            String hash = link.of(linked);
            jdbc.sql("""
                    UPDATE audit_events SET actor = :actor, action = :action, subject = :subject,
                        prev_hash = :prev, entry_hash = :hash WHERE id = :id""")
                    .param("actor", linked.actor()).param("action", linked.action()).param("subject", linked.subject())
                    .param("prev", prev).param("hash", hash).param("id", linked.id())
                    .update();
            prev = hash;
            last = e.chainSeq();
        }
        moveHead(last, prev);
    }

    /** Deletes every stored checkpoint; the returned action puts them back. */
    Runnable deleteCheckpoints() {
        List<Object[]> rows = jdbc.sql("SELECT checkpoint, chain_seq, signed_at, signed_data FROM audit_checkpoints")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getObject(3), rs.getBytes(4)}).list();
        jdbc.sql("DELETE FROM audit_checkpoints").update();
        return () -> rows.forEach(r -> jdbc.sql("""
                INSERT INTO audit_checkpoints (checkpoint, chain_seq, signed_at, signed_data) VALUES (:n, :seq, :at, :data)""")
                .param("n", r[0]).param("seq", r[1]).param("at", r[2]).param("data", r[3]).update());
    }

    /** Moves the switch from the unkeyed to the keyed chain; the returned action puts it back. */
    Runnable moveKeyedFrom(long seq) {
        Object[] was = jdbc.sql("SELECT keyed_from_seq, keyed_from_mac FROM audit_chain_head WHERE id = 1")
                .query((rs, n) -> new Object[] {rs.getObject(1), rs.getString(2)}).single();
        jdbc.sql("UPDATE audit_chain_head SET keyed_from_seq = :seq WHERE id = 1").param("seq", seq).update();
        return () -> jdbc.sql("UPDATE audit_chain_head SET keyed_from_seq = :seq, keyed_from_mac = :mac WHERE id = 1")
                .param("seq", was[0]).param("mac", was[1]).update();
    }

    void moveHead(long seq, String hash) {
        jdbc.sql("UPDATE audit_chain_head SET last_seq = :seq, last_hash = :hash WHERE id = 1")
                .param("seq", seq).param("hash", hash).update();
    }

    /** Entries from {@code fromSeq} and the head as they were. */
    final class Snapshot {
        private final long fromSeq;
        private final List<AuditEntry> entries;
        private final long headSeq;
        private final String headHash;

        private Snapshot(long fromSeq, List<AuditEntry> entries, long headSeq, String headHash) {
            this.fromSeq = fromSeq;
            this.entries = entries;
            this.headSeq = headSeq;
            this.headHash = headHash;
        }

        void restore() {
            jdbc.sql("DELETE FROM audit_events WHERE chain_seq >= :from").param("from", fromSeq).update();
            for (AuditEntry e : entries) {
                jdbc.sql("""
                        INSERT INTO audit_events (id, occurred_at, actor, action, subject, remote_address, chain_seq, prev_hash, entry_hash)
                        VALUES (:id, :at, :actor, :action, :subject, :remote, :seq, :prev, :hash)""")
                        .param("id", e.id()).param("at", e.occurredAt().atOffset(ZoneOffset.UTC))
                        .param("actor", e.actor()).param("action", e.action()).param("subject", e.subject())
                        .param("remote", e.remoteAddress()).param("seq", e.chainSeq()).param("prev", e.prevHash())
                        .param("hash", e.entryHash())
                        .update();
            }
            moveHead(headSeq, headHash);
        }
    }
}
