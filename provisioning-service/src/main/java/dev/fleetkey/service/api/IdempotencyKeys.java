package dev.fleetkey.service.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The rows of {@code idempotency_keys}, one per (principal, key): a claim while its request runs
 * ({@code claim_id} set, no answer), then the stored answer. Every change to a claim names its
 * {@code claim_id}, so a request whose claim was taken over can no longer store or release anything.
 */
@Repository
class IdempotencyKeys {

    private final JdbcClient jdbc;

    IdempotencyKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A row as read: a claim ({@code claimId} set, {@code status} 0, no body) or a stored answer.
     *
     * @param createdAt when the claim was made, or when the answer was stored
     */
    record Row(byte[] fingerprint, String claimId, int status, String contentType, String location, byte[] sealedBody,
            Instant createdAt) {

        boolean inProgress() {
            return claimId != null;
        }
    }

    /** @return {@code false} if the key already has a row (a claim or an answer) */
    boolean insertClaim(String principal, String key, byte[] fingerprint, String claimId) {
        try {
            jdbc.sql("""
                    INSERT INTO idempotency_keys (principal, idempotency_key, request_sha256, claim_id, created_at)
                    VALUES (:p, :k, :f, :claim, :now)""")
                    .param("p", principal).param("k", key).param("f", fingerprint).param("claim", claimId)
                    .param("now", now()).update();
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    Optional<Row> find(String principal, String key) {
        return jdbc.sql("""
                SELECT request_sha256, claim_id, status, content_type, location, sealed_body, created_at
                FROM idempotency_keys WHERE principal = :p AND idempotency_key = :k""")
                .param("p", principal).param("k", key)
                .query(IdempotencyKeys::row)
                .optional();
    }

    /**
     * Replaces {@code seen} (an abandoned claim, or an answer past its retention) with a new claim, unless
     * another request changed the row since it was read.
     */
    boolean takeOver(String principal, String key, Row seen, byte[] fingerprint, String claimId) {
        String unchanged = seen.inProgress() ? "claim_id = :seenClaim" : "claim_id IS NULL AND created_at = :seenAt";
        return jdbc.sql("UPDATE idempotency_keys SET request_sha256 = :f, claim_id = :claim, status = NULL,"
                        + " content_type = NULL, location = NULL, sealed_body = NULL, created_at = :now"
                        + " WHERE principal = :p AND idempotency_key = :k AND " + unchanged)
                .param("p", principal).param("k", key).param("f", fingerprint).param("claim", claimId)
                .param("now", now())
                .params(seen.inProgress() ? Map.of("seenClaim", seen.claimId())
                        : Map.of("seenAt", seen.createdAt().atOffset(ZoneOffset.UTC)))
                .update() == 1;
    }

    /** Stores the answer in place of the claim; {@code false} if the claim is no longer this request's. */
    boolean complete(String principal, String key, String claimId, int status, String contentType, String location,
            byte[] sealedBody) {
        return jdbc.sql("""
                UPDATE idempotency_keys SET status = :s, content_type = :ct, location = :loc, sealed_body = :body,
                    claim_id = NULL, created_at = :now
                WHERE principal = :p AND idempotency_key = :k AND claim_id = :claim""")
                .param("p", principal).param("k", key).param("claim", claimId).param("s", status)
                .param("ct", contentType).param("loc", location).param("body", sealedBody).param("now", now())
                .update() == 1;
    }

    /** Removes this request's claim, so the key is free for a retry. */
    void release(String principal, String key, String claimId) {
        jdbc.sql("DELETE FROM idempotency_keys WHERE principal = :p AND idempotency_key = :k AND claim_id = :claim")
                .param("p", principal).param("k", key).param("claim", claimId).update();
    }

    /** Deletes answers and claims made before {@code cutoff}. */
    void purgeOlderThan(Instant cutoff) {
        jdbc.sql("DELETE FROM idempotency_keys WHERE created_at < :cutoff").param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .update();
    }

    private static OffsetDateTime now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getBytes(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getBytes(6),
                rs.getObject(7, OffsetDateTime.class).toInstant());
    }
}
