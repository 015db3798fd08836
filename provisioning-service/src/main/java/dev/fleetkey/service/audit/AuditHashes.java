package dev.fleetkey.service.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The canonical form of an audit entry and its SHA-256. Every field is written with its length first,
 * so no choice of actor or subject text can make two different entries read the same; the time is
 * ISO-8601 UTC to the microsecond, the precision both databases keep.
 */
final class AuditHashes {

    static final String GENESIS = "0".repeat(64);
    private static final String VERSION = "fleetkey-audit-v1";

    private AuditHashes() {
    }

    /** {@code at} as it will read back from the database. */
    static Instant storable(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    static String entryHash(long seq, Instant occurredAt, String actor, String action, String subject,
            String remoteAddress, String prevHash) {
        StringBuilder canonical = new StringBuilder(VERSION).append('\n');
        field(canonical, Long.toString(seq));
        field(canonical, DateTimeFormatter.ISO_INSTANT.format(storable(occurredAt)));
        field(canonical, actor);
        field(canonical, action);
        field(canonical, subject);
        field(canonical, remoteAddress);
        field(canonical, prevHash);
        return sha256Hex(canonical.toString());
    }

    static String entryHash(AuditEntry e) {
        return entryHash(e.chainSeq(), e.occurredAt(), e.actor(), e.action(), e.subject(), e.remoteAddress(),
                e.prevHash());
    }

    private static void field(StringBuilder out, String value) {
        if (value == null) {
            out.append("-\n");
        } else {
            out.append(value.length()).append(':').append(value).append('\n');
        }
    }

    private static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
