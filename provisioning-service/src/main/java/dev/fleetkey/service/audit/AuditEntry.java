package dev.fleetkey.service.audit;

import java.time.Instant;

/**
 * One audit event as stored: who ({@code actor}) did what ({@code action}) to what ({@code subject}),
 * when and from where, with its place in the chain. Subjects never carry secrets.
 *
 * @param chainSeq  position in the chain from 1, or null for a row that was never chained
 * @param prevHash  the previous entry's link (64 zeros for the first)
 * @param entryHash this entry's link over its canonical form, which includes {@code prevHash}: hex
 *                  HMAC-SHA256 under the audit key, or hex SHA-256 for entries from before the chain was keyed
 */
public record AuditEntry(long id, Long chainSeq, Instant occurredAt, String actor, String action, String subject,
        String remoteAddress, String prevHash, String entryHash) {
}
