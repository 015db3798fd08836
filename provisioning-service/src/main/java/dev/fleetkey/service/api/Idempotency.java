package dev.fleetkey.service.api;

import dev.fleetkey.service.pki.SealedSecretException;
import dev.fleetkey.service.pki.SecretSealer;
import dev.fleetkey.service.system.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code Idempotency-Key} for POSTs: the first successful answer is stored in the same transaction as the
 * write it describes, so either both exist or neither does; a retry with the same key and the same request
 * gets that answer again, a reuse of the key for a different request gets 422. Keys are scoped per
 * principal and kept for {@link #RETENTION}. Failed answers are not stored: their transaction wrote
 * nothing, so repeating the request is safe and may succeed once the cause is fixed.
 */
@Component
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final SecretSealer sealer;
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    Idempotency(JdbcClient jdbc, PlatformTransactionManager transactionManager, SecretSealer sealer) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.sealer = sealer;
    }

    /**
     * Runs {@code write} in one transaction, or replays the stored answer for {@code key}.
     *
     * @param principal who is asking (keys of different principals never meet)
     * @param key the {@code Idempotency-Key} header, or null to just run {@code write} in a transaction
     * @param request what identifies the request: method, path and canonical body
     */
    public StoredAnswer execute(String principal, String key, String request, Supplier<StoredAnswer> write) {
        if (key == null) {
            return transactions.execute(status -> write.get());
        }
        validate(key);
        purgeExpired();
        byte[] fingerprint = sha256(request);
        try {
            return transactions.execute(status -> {
                Optional<Row> existing = find(principal, key);
                if (existing.isPresent() && !existing.get().expired()) {
                    return replay(existing.get(), fingerprint, key);
                }
                if (existing.isPresent()) {
                    jdbc.sql("DELETE FROM idempotency_keys WHERE principal = :p AND idempotency_key = :k")
                            .param("p", principal).param("k", key).update();
                }
                StoredAnswer answer = write.get();
                if (answer.status() < 300) {
                    store(principal, key, fingerprint, answer);
                }
                return answer;
            });
        } catch (DataIntegrityViolationException e) {
            // a concurrent request with the same key won the race: its committed answer is ours
            return find(principal, key).filter(row -> !row.expired()).map(row -> replay(row, fingerprint, key))
                    .orElseThrow(() -> e);
        }
    }

    private record Row(byte[] fingerprint, int status, String contentType, String location, byte[] sealedBody,
            Instant createdAt) {
        /** Past {@link #RETENTION}: the key is free again (the purge may not have removed the row yet). */
        boolean expired() {
            return createdAt.isBefore(Instant.now().minus(RETENTION));
        }
    }

    /** The stored answer for the key, expired or not (one lookup by primary key, no DELETE on the common path). */
    private Optional<Row> find(String principal, String key) {
        return jdbc.sql("""
                SELECT request_sha256, status, content_type, location, sealed_body, created_at FROM idempotency_keys
                WHERE principal = :p AND idempotency_key = :k""")
                .param("p", principal).param("k", key)
                .query((rs, n) -> new Row(rs.getBytes(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                        rs.getObject(6, OffsetDateTime.class).toInstant()))
                .optional();
    }

    private StoredAnswer replay(Row row, byte[] fingerprint, String key) {
        if (!MessageDigest.isEqual(row.fingerprint(), fingerprint)) {
            throw ApiException.unprocessable("idempotency-key-reused", "Idempotency-Key '" + key + "' was already used for a"
                    + " different request (other body or path) in the last " + RETENTION.toHours()
                    + " h: send a new key for a new request, or repeat the original request unchanged");
        }
        try {
            byte[] body = sealer.open(row.sealedBody(), context(key));
            return new StoredAnswer(row.status(), row.contentType(), row.location(), body, true);
        } catch (SealedSecretException e) {
            throw new IllegalStateException("stored idempotent answer cannot be opened", e);
        }
    }

    private void store(String principal, String key, byte[] fingerprint, StoredAnswer answer) {
        jdbc.sql("""
                INSERT INTO idempotency_keys (principal, idempotency_key, request_sha256, status, content_type, location,
                    sealed_body, created_at)
                VALUES (:p, :k, :f, :s, :ct, :loc, :body, :now)""")
                .param("p", principal).param("k", key).param("f", fingerprint).param("s", answer.status())
                .param("ct", answer.contentType()).param("loc", answer.location())
                .param("body", sealer.seal(answer.body(), context(key))).param("now", utc(Instant.now()))
                .update();
    }

    private void purgeExpired() {
        Instant last = lastPurge.get();
        Instant now = Instant.now();
        if (last.plus(PURGE_INTERVAL).isBefore(now) && lastPurge.compareAndSet(last, now)) {
            jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < :cutoff").param("cutoff", utc(now.minus(RETENTION))).update();
        }
    }

    private static void validate(String key) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw ApiException.invalidField(HEADER, "The Idempotency-Key header must be 1-255 visible ASCII characters"
                    + " without spaces; a UUID is a good choice");
        }
    }

    private static String context(String key) {
        return "idempotent-answer:" + key;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
