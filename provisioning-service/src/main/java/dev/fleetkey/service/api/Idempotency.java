package dev.fleetkey.service.api;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.pki.SealedSecretException;
import dev.fleetkey.service.pki.SecretSealer;
import dev.fleetkey.service.system.InvalidFieldException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code Idempotency-Key} for POSTs, after draft-ietf-httpapi-idempotency-key-header. Keys are scoped per
 * principal and kept for {@link #RETENTION}.
 *
 * <ol>
 * <li>The key is <em>claimed</em> first, in a transaction of its own that commits at once: a row holding the
 *     request's fingerprint (SHA-256 of method, path and canonical body) and a claim id. The primary key
 *     (principal, key) lets exactly one request hold it.</li>
 * <li>A request that finds the key claimed by a request still running gets 409
 *     {@code idempotency-key-in-progress} with {@code Retry-After} if its fingerprint is the same, 422
 *     {@code idempotency-key-reused} if not; one that finds a stored answer gets it replayed (same fingerprint)
 *     or 422. It never does the work itself, so it can never see the first request's effects as a conflict.</li>
 * <li>The claim holder does the work; a successful answer replaces the claim in the work's own transaction,
 *     so the answer and the write it describes exist together or not at all.</li>
 * <li>A failed answer (an exception or a status of 300 or more) is not stored: the claim is released, as its
 *     transaction wrote nothing, and repeating the request is safe and may succeed once the cause is fixed.</li>
 * <li>A claim whose request died (process killed between claim and answer) is taken over by the next request
 *     with that key once it is older than {@link #CLAIM_TIMEOUT}; the slow original, should it still finish,
 *     finds its claim gone and rolls its work back.</li>
 * </ol>
 */
@Component
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final Duration RETENTION = Duration.ofHours(24);

    /** After this a claim without an answer counts as abandoned; a provisioning takes well under a second. */
    public static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);
    private static final int CLAIM_ATTEMPTS = 3;
    private static final Logger log = LoggerFactory.getLogger(Idempotency.class);

    private final IdempotencyKeys keys;
    private final TransactionTemplate transactions;
    private final TransactionTemplate ownTransaction;
    private final SecretSealer sealer;
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    Idempotency(IdempotencyKeys keys, PlatformTransactionManager transactionManager, SecretSealer sealer) {
        this.keys = keys;
        this.transactions = new TransactionTemplate(transactionManager);
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.sealer = sealer;
    }

    /**
     * Runs {@code write} in one transaction, or replays the stored answer for {@code key}.
     *
     * @param principal who is asking (keys of different principals never meet)
     * @param key the {@code Idempotency-Key} header, or null to just run {@code write} in a transaction
     * @param request what identifies the request: method, path and canonical body
     * @throws IdempotencyKeyInProgressException while another request with this key and body runs
     * @throws IdempotencyKeyReusedException for a key used with another request
     */
    public StoredAnswer execute(String principal, String key, String request, Supplier<StoredAnswer> write) {
        if (key == null) {
            return transactions.execute(status -> write.get());
        }
        validate(key);
        purgeExpired();
        byte[] fingerprint = Sha256.digest(request);
        Turn turn = claim(principal, key, fingerprint);
        if (turn.replay() != null) {
            return turn.replay();
        }
        return work(principal, key, turn.claimId(), write);
    }

    /** Either this request holds the claim ({@code claimId}) or it gets a stored answer ({@code replay}). */
    private record Turn(String claimId, StoredAnswer replay) {
    }

    private Turn claim(String principal, String key, byte[] fingerprint) {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            String claimId = UUID.randomUUID().toString();
            if (inOwnTransaction(() -> keys.insertClaim(principal, key, fingerprint, claimId))) {
                return new Turn(claimId, null);
            }
            Optional<IdempotencyKeys.Row> found = keys.find(principal, key);
            if (found.isEmpty()) {
                continue; // the holder released it in between: claim again
            }
            IdempotencyKeys.Row row = found.get();
            if (free(row)) {
                if (inOwnTransaction(() -> keys.takeOver(principal, key, row, fingerprint, claimId))) {
                    log.info("Idempotency-Key of {} taken over ({})", principal,
                            row.inProgress() ? "abandoned claim" : "answer past retention");
                    return new Turn(claimId, null);
                }
                continue;
            }
            if (!MessageDigest.isEqual(row.fingerprint(), fingerprint)) {
                throw new IdempotencyKeyReusedException(key);
            }
            if (row.inProgress()) {
                throw new IdempotencyKeyInProgressException(key);
            }
            return new Turn(null, open(row, key));
        }
        // claimed and released again several times in a row: the other requests are still at it
        throw new IdempotencyKeyInProgressException(key);
    }

    private StoredAnswer work(String principal, String key, String claimId, Supplier<StoredAnswer> write) {
        boolean stored = false;
        try {
            StoredAnswer answer = transactions.execute(status -> {
                StoredAnswer done = write.get();
                if (done.status() < 300 && !keys.complete(principal, key, claimId, done.status(), done.contentType(),
                        done.location(), sealer.seal(done.body(), context(key)))) {
                    // taken over as abandoned: the other request does the work, this one must leave no trace
                    throw new IdempotencyKeyInProgressException(key);
                }
                return done;
            });
            stored = answer.status() < 300;
            return answer;
        } finally {
            if (!stored) {
                release(principal, key, claimId);
            }
        }
    }

    /** Frees the key after a failure; if even that fails, the claim is taken over after {@link #CLAIM_TIMEOUT}. */
    private void release(String principal, String key, String claimId) {
        try {
            inOwnTransaction(() -> {
                keys.release(principal, key, claimId);
                return true;
            });
        } catch (RuntimeException e) {
            log.warn("Idempotency-Key claim of {} not released ({}); it is taken over after {}", principal,
                    e.getClass().getSimpleName(), CLAIM_TIMEOUT);
        }
    }

    /** An answer past its retention, or a claim whose request has surely died. */
    private static boolean free(IdempotencyKeys.Row row) {
        Duration age = Duration.between(row.createdAt(), Instant.now());
        return age.compareTo(row.inProgress() ? CLAIM_TIMEOUT : RETENTION) > 0;
    }

    private boolean inOwnTransaction(Supplier<Boolean> statement) {
        return Boolean.TRUE.equals(ownTransaction.execute(status -> statement.get()));
    }

    private StoredAnswer open(IdempotencyKeys.Row row, String key) {
        try {
            byte[] body = sealer.open(row.sealedBody(), context(key));
            return new StoredAnswer(row.status(), row.contentType(), row.location(), body, true);
        } catch (SealedSecretException e) {
            throw new IllegalStateException("stored idempotent answer cannot be opened", e);
        }
    }

    private void purgeExpired() {
        Instant last = lastPurge.get();
        Instant now = Instant.now();
        if (last.plus(PURGE_INTERVAL).isBefore(now) && lastPurge.compareAndSet(last, now)) {
            keys.purgeOlderThan(now.minus(RETENTION));
        }
    }

    private static void validate(String key) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new InvalidFieldException(HEADER, "The Idempotency-Key header must be 1-255 visible ASCII characters"
                    + " without spaces; a UUID is a good choice");
        }
    }

    private static String context(String key) {
        return "idempotent-answer:" + key;
    }
}
