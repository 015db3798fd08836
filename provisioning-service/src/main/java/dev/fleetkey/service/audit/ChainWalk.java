package dev.fleetkey.service.audit;

import java.util.List;
import java.util.Map;
import javax.crypto.Mac;

/**
 * One pass over the chain in order, from a trusted starting point (the genesis, or a signed checkpoint);
 * judges each entry as it comes and stops judging at the first break. Entries before {@code keyedFromSeq}
 * are checked with the plain SHA-256 link, the rest with the HMAC under the audit key; on reaching the
 * switch point the walk checks the MAC that fixes it. Signed checkpoints inside the walked range must name
 * exactly the link the walk computed there.
 */
final class ChainWalk {

    private final Mac mac;
    private final long keyedFromSeq;
    private final String keyedFromMac;
    private final Map<Long, List<AuditCheckpoint>> checkpoints;
    long checked;
    String previousHash;
    ChainVerification.Break result;

    /**
     * @param checkpoints signed checkpoints by chain position, checked when the walk passes them
     */
    ChainWalk(Mac mac, long keyedFromSeq, String keyedFromMac, long startSeq, String startHash,
            Map<Long, List<AuditCheckpoint>> checkpoints) {
        this.mac = mac;
        this.keyedFromSeq = keyedFromSeq;
        this.keyedFromMac = keyedFromMac;
        this.checkpoints = checkpoints;
        this.checked = startSeq;
        this.previousHash = startHash;
        checkSwitch(null);
    }

    void next(AuditEntry e) {
        if (result != null) {
            return;
        }
        long expected = checked + 1;
        boolean keyed = expected >= keyedFromSeq;
        if (e.chainSeq() != expected) {
            breakAt(e.id(), expected, "entry position " + expected + " is missing (the next entry, " + e.id()
                    + ", is at position " + e.chainSeq() + "): an entry was deleted");
        } else if (!previousHash.equals(e.prevHash())) {
            breakAt(e.id(), expected, "entry " + e.id()
                    + " does not link to the entry before it: that entry or this link was changed");
        } else if (!(keyed ? AuditHashes.entryMac(mac, e) : AuditHashes.entryHash(e)).equals(e.entryHash())) {
            breakAt(e.id(), expected, "entry " + e.id() + " was changed after it was written: its content no longer"
                    + " matches its " + (keyed ? "MAC under the audit key (rewritten without the key)" : "hash"));
        } else if (disagreeing(expected, e.entryHash()) != null) {
            AuditCheckpoint cp = disagreeing(expected, e.entryHash());
            breakAt(e.id(), expected, "entry " + e.id() + " does not have the link that signed checkpoint "
                    + cp.checkpoint() + " (" + cp.signedAt() + ") names for position " + expected
                    + ": the chain up to here was rewritten");
        } else {
            checked = expected;
            previousHash = e.entryHash();
            checkSwitch(e.id());
        }
    }

    private AuditCheckpoint disagreeing(long seq, String link) {
        return checkpoints.getOrDefault(seq, List.of()).stream().filter(c -> !c.headMac().equals(link))
                .findFirst().orElse(null);
    }

    /** At the position just before the keyed chain begins, the switch point's MAC must match. */
    private void checkSwitch(Long entryId) {
        if (checked == keyedFromSeq - 1 && keyedFromMac != null
                && !AuditHashes.keyedFromMac(mac, keyedFromSeq, previousHash).equals(keyedFromMac)) {
            breakAt(entryId, Math.max(1, checked), "the keyed chain's starting point (position " + keyedFromSeq
                    + ") or an unkeyed entry before it was changed: its MAC under the audit key no longer matches");
        }
    }

    private void breakAt(Long entryId, long seq, String problem) {
        result = new ChainVerification.Break(entryId, seq, problem);
    }
}
