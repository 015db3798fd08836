package dev.fleetkey.service.audit;

import java.time.Instant;

/**
 * The result of checking the audit chain: how many entries were checked and, if the chain is broken, the
 * first broken link. "Intact" means: every entry links to the one before it, every keyed entry's MAC under
 * the audit key matches its content, the chain reaches the head, and no signed checkpoint checked names a
 * position the chain no longer reaches or a link it no longer has (see the README, "What intact means").
 *
 * @param entriesChecked     entries whose links matched before the first break (all entries if intact)
 * @param brokenEntryId      database id of the first entry that does not fit the chain, or null (also when
 *                           the first bad position's entry was deleted)
 * @param brokenSeq          chain position where the break was found, or null
 * @param problem            what is wrong there, in words, or null when intact
 * @param unkeyedEntries     entries at the start of the chain written before the chain was keyed, linked by
 *                           plain SHA-256; they are bound to the keyed chain where it begins
 * @param checkpointsChecked signed checkpoints the chain was checked against (stored and supplied)
 * @param newestCheckpoint   the newest of them, or null if there is none yet
 */
public record ChainVerification(boolean intact, long entriesChecked, Long brokenEntryId, Long brokenSeq,
        String problem, long unkeyedEntries, int checkpointsChecked, Checkpoint newestCheckpoint) {

    /** A signed checkpoint as the result shows it. */
    public record Checkpoint(long checkpoint, long chainSeq, Instant signedAt) {
    }

    /** The first broken link found by a walk. */
    record Break(Long entryId, Long seq, String problem) {
    }

    /** What a verification covered besides the entries. */
    record Coverage(long unkeyedEntries, int checkpointsChecked, Checkpoint newestCheckpoint) {
    }

    static ChainVerification intact(long entries, Coverage coverage) {
        return new ChainVerification(true, entries, null, null, null, coverage.unkeyedEntries(),
                coverage.checkpointsChecked(), coverage.newestCheckpoint());
    }

    static ChainVerification broken(long checked, Break at, Coverage coverage) {
        return new ChainVerification(false, checked, at.entryId(), at.seq(), at.problem(), coverage.unkeyedEntries(),
                coverage.checkpointsChecked(), coverage.newestCheckpoint());
    }
}
