package dev.fleetkey.service.firmware;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Release tokens: {@code fkr_} and 32 random bytes (base64url), shown once when made; only their SHA-256
 * is stored (a random 256-bit secret needs no slow hash: nothing to brute-force). A token authenticates
 * a build pipeline to the firmware API only.
 */
@Service
public class ReleaseTokens {

    static final String PREFIX = "fkr_";

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final SecureRandom random = new SecureRandom();

    ReleaseTokens(JdbcClient jdbc, AuditTrail audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** A token as made: the secret is in {@code token}, returned once, never stored. */
    public record CreatedToken(long id, String name, String token) {
        @Override
        public String toString() {
            return "CreatedToken[" + id + " " + name + ", token=(redacted)]";
        }
    }

    /** A token's record, without its secret. */
    public record TokenRecord(long id, String name, Instant createdAt, String createdBy, Instant revokedAt) {
    }

    public CreatedToken create(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._ -]{1,64}")) {
            throw new InvalidFieldException("name", "name the token (1-64 letters, digits, '.', '_', '-', spaces),"
                    + " e.g. the pipeline that uses it");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = Instant.now();
        jdbc.sql("""
                INSERT INTO release_tokens (name, token_hash, created_at, created_by)
                VALUES (:name, :hash, :at, :by)""")
                .param("name", name).param("hash", Sha256.digest(token)).param("at", now.atOffset(ZoneOffset.UTC))
                .param("by", actor())
                .update();
        long id = jdbc.sql("SELECT id FROM release_tokens WHERE token_hash = :hash").param("hash", Sha256.digest(token))
                .query(Long.class).single();
        audit.record("release-token.created", "release-token:" + id + " " + name);
        return new CreatedToken(id, name, token);
    }

    public List<TokenRecord> list() {
        return jdbc.sql("SELECT id, name, created_at, created_by, revoked_at FROM release_tokens ORDER BY id")
                .query((rs, n) -> new TokenRecord(rs.getLong("id"), rs.getString("name"),
                        rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(), rs.getString("created_by"),
                        Optional.ofNullable(rs.getObject("revoked_at", java.time.OffsetDateTime.class))
                                .map(java.time.OffsetDateTime::toInstant).orElse(null)))
                .list();
    }

    public void revoke(long id) {
        int updated = jdbc.sql("UPDATE release_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                .param("at", Instant.now().atOffset(ZoneOffset.UTC)).param("id", id).update();
        if (updated == 0) {
            throw new NotFoundException("No active release token " + id);
        }
        audit.record("release-token.revoked", "release-token:" + id);
    }

    /** The name of the active token {@code token}, if it is one. */
    Optional<String> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT name FROM release_tokens WHERE token_hash = :hash AND revoked_at IS NULL")
                .param("hash", Sha256.digest(token)).query(String.class).optional();
    }

    static String actor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.isAuthenticated() ? auth.getName() : "system";
    }
}
