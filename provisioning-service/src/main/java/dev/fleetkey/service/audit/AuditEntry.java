package dev.fleetkey.service.audit;

import java.time.Instant;

/**
 * One audit event as stored: who ({@code actor}) did what ({@code action}) to what ({@code subject}),
 * when and from where, with its place in the hash chain. Subjects never carry secrets.
 *
 * @param chainSeq  position in the chain from 1, or null for a row that was never chained
 * @param prevHash  hex SHA-256 of the previous entry's canonical form (64 zeros for the first)
 * @param entryHash hex SHA-256 of this entry's canonical form, which includes {@code prevHash}
 */
public record AuditEntry(long id, Long chainSeq, Instant occurredAt, String actor, String action, String subject,
        String remoteAddress, String prevHash, String entryHash) {
}
