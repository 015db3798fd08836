package dev.fleetkey.service.audit;

/**
 * The result of checking the audit hash chain: how many entries were checked and, if the chain is broken,
 * the first broken link.
 *
 * @param entriesChecked entries whose hashes matched before the first break (all entries if intact)
 * @param brokenEntryId  database id of the first entry that does not fit the chain, or null
 * @param brokenSeq      chain position where the break was found, or null
 * @param problem        what is wrong there, in words, or null when intact
 */
public record ChainVerification(boolean intact, long entriesChecked, Long brokenEntryId, Long brokenSeq,
        String problem) {

    static ChainVerification intact(long entries) {
        return new ChainVerification(true, entries, null, null, null);
    }

    static ChainVerification broken(long checked, Long entryId, Long seq, String problem) {
        return new ChainVerification(false, checked, entryId, seq, problem);
    }
}
