package dev.fleetkey.service.audit;

import dev.fleetkey.bundle.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * The canonical form of an audit entry and its link: the HMAC-SHA256 under the audit key (the keyed chain),
 * or for entries written before the key existed the plain SHA-256 (the unkeyed chain). Every field is written
 * with its length first, so no choice of actor or subject text can make two different entries read the same;
 * the time is ISO-8601 UTC to the microsecond, the precision both databases keep. Each form starts with its
 * own version line, so a value of one kind never stands for another.
 */
final class AuditHashes {

    static final String GENESIS = "0".repeat(64);
    private static final String UNKEYED = "fleetkey-audit-v1";
    private static final String KEYED = "fleetkey-audit-v2-hmac-sha256";
    private static final String KEYED_FROM = "fleetkey-audit-keyed-from-v1";

    private AuditHashes() {
    }

    /** {@code at} as it will read back from the database. */
    static Instant storable(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    /** The unkeyed link: SHA-256 of the canonical form, which anyone can recompute. */
    static String entryHash(long seq, Instant occurredAt, String actor, String action, String subject,
            String remoteAddress, String prevHash) {
        return Sha256.hex(canonical(UNKEYED, seq, occurredAt, actor, action, subject, remoteAddress, prevHash));
    }

    static String entryHash(AuditEntry e) {
        return entryHash(e.chainSeq(), e.occurredAt(), e.actor(), e.action(), e.subject(), e.remoteAddress(),
                e.prevHash());
    }

    /** The keyed link: HMAC-SHA256 of the canonical form under the audit key held by {@code mac}. */
    static String entryMac(Mac mac, long seq, Instant occurredAt, String actor, String action, String subject,
            String remoteAddress, String prevHash) {
        return macHex(mac, canonical(KEYED, seq, occurredAt, actor, action, subject, remoteAddress, prevHash));
    }

    static String entryMac(Mac mac, AuditEntry e) {
        return entryMac(mac, e.chainSeq(), e.occurredAt(), e.actor(), e.action(), e.subject(), e.remoteAddress(),
                e.prevHash());
    }

    /**
     * The MAC that fixes where the keyed chain begins: position {@code keyedFromSeq} and the hash of the
     * entry before it, so the switch point and every unkeyed entry before it are bound to the key.
     */
    static String keyedFromMac(Mac mac, long keyedFromSeq, String prevHash) {
        StringBuilder canonical = new StringBuilder(KEYED_FROM).append('\n');
        field(canonical, Long.toString(keyedFromSeq));
        field(canonical, prevHash);
        return macHex(mac, canonical.toString());
    }

    private static String canonical(String version, long seq, Instant occurredAt, String actor, String action,
            String subject, String remoteAddress, String prevHash) {
        StringBuilder canonical = new StringBuilder(version).append('\n');
        field(canonical, Long.toString(seq));
        field(canonical, DateTimeFormatter.ISO_INSTANT.format(storable(occurredAt)));
        field(canonical, actor);
        field(canonical, action);
        field(canonical, subject);
        field(canonical, remoteAddress);
        field(canonical, prevHash);
        return canonical.toString();
    }

    private static void field(StringBuilder out, String value) {
        if (value == null) {
            out.append("-\n");
        } else {
            out.append(value.length()).append(':').append(value).append('\n');
        }
    }

    private static String macHex(Mac mac, String text) {
        return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

}
