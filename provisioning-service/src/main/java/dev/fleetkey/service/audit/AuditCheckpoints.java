package dev.fleetkey.service.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Signed checkpoints anchor the chain head outside the database: each says, under the bundle signer's
 * signature, how many entries the chain had at a time and the link of the newest. Deleting the newest entries
 * and moving the head back leaves a chain that is whole in itself, but shorter than a checkpoint says it was;
 * rewriting an entry changes the links a checkpoint names. Stored checkpoints catch this inside the service;
 * an exported file kept by an auditor catches it even if the stored checkpoints were deleted too.
 *
 * <p>A checkpoint is signed only for a chain that extends the previous checkpoint with valid links, so the
 * service never signs a chain that was already tampered with.
 */
@Component
public class AuditCheckpoints {

    private final AuditChain chain;
    private final CheckpointStore store;
    private final Clock clock;

    AuditCheckpoints(AuditChain chain, CheckpointStore store) {
        this.chain = chain;
        this.store = store;
        this.clock = Clock.systemUTC();
    }

    /** A checkpoint and whether this call signed it (false: the newest already covered the head). */
    public record Signed(AuditCheckpoint checkpoint, boolean isNew) {
    }

    /**
     * Signs a checkpoint of the current head, unless the newest checkpoint already covers it.
     *
     * @return empty while the audit log has no entry
     * @throws ChainBrokenException if the entries since the newest checkpoint do not extend it (nothing is signed)
     */
    public synchronized Optional<Signed> create() throws ChainBrokenException {
        Optional<AuditCheckpoint> newest = newestVerified();
        AuditChain.State state = chain.state();
        AuditChain.Head head = state.head();
        long fromSeq = newest.map(AuditCheckpoint::chainSeq).orElse(0L);
        if (head.seq() == 0) {
            return Optional.empty();
        }
        if (newest.isPresent() && head.seq() == fromSeq && head.hash().equals(newest.get().headMac())) {
            return Optional.of(new Signed(newest.get(), false));
        }
        if (head.seq() <= fromSeq) {
            throw new ChainBrokenException("the chain head is at position " + head.seq() + " but checkpoint "
                    + newest.get().checkpoint() + " covers entries up to position " + fromSeq
                    + ": the newest entries were deleted and the head moved back");
        }
        ChainWalk walk = chain.walk(state, fromSeq, newest.map(AuditCheckpoint::headMac).orElse(AuditHashes.GENESIS),
                head.seq(), Map.of());
        if (walk.result != null) {
            throw new ChainBrokenException(walk.result.problem());
        }
        if (walk.checked != head.seq() || !walk.previousHash.equals(head.hash())) {
            throw new ChainBrokenException("the chain ends at entry position " + walk.checked + " but its head says "
                    + head.seq() + ": the newest entries were deleted or replaced");
        }
        long number = store.newestRow().map(r -> r.checkpoint() + 1).orElse(1L);
        AuditCheckpoint next = new AuditCheckpoint(number, head.seq(), head.hash(), state.keyedFromSeq(),
                AuditHashes.storable(clock.instant()));
        try {
            return Optional.of(new Signed(store.sign(next).checkpoint(), true));
        } catch (DataIntegrityViolationException e) {
            // another instance signed this number or this head first; theirs is as good
            return newestVerified().map(c -> new Signed(c, false));
        }
    }

    /** The newest stored checkpoint as its columns say (for display; {@link AuditChain#verify} checks it). */
    public Optional<ChainVerification.Checkpoint> newest() {
        return store.newestRow().map(r -> new ChainVerification.Checkpoint(r.checkpoint(), r.chainSeq(), r.signedAt()));
    }

    /** When the newest checkpoint was signed and what it covers, for deciding whether the next one is due. */
    Optional<CheckpointStore.StoredRow> newestRow() {
        return store.newestRow();
    }

    /** The stored checkpoints as a PEM file for an auditor to keep (see {@link CheckpointStore#exportPem}). */
    public String exportPem() {
        return store.exportPem();
    }

    /**
     * Checks the chain against the stored checkpoints and those in {@code pem}, a file exported earlier.
     *
     * @throws InvalidCheckpointException if the file holds no checkpoint or one not signed by this service
     */
    public ChainVerification verifyAgainst(String pem) throws InvalidCheckpointException {
        List<AuditCheckpoint> supplied = store.importPem(pem);
        return chain.verify(supplied);
    }

    private Optional<AuditCheckpoint> newestVerified() throws ChainBrokenException {
        Optional<byte[]> signed = store.newestSigned();
        if (signed.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.open(signed.get()));
        } catch (InvalidCheckpointException e) {
            throw new ChainBrokenException("the newest stored checkpoint was refused (" + e.getMessage() + ")");
        }
    }

    /** Now, for the schedule. */
    Instant now() {
        return clock.instant();
    }
}
