package dev.fleetkey.service.logins;

import static dev.fleetkey.service.system.UtcColumns.utc;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.system.StateConflictException;
import dev.fleetkey.service.users.Role;
import dev.fleetkey.service.users.UserAccounts;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal API tokens: {@code fku_} and 256 random bits (base64url), shown once when made, stored only as
 * their SHA-256 (a random 256-bit secret has no preimage to search, so a fast hash is enough and lets the
 * lookup use the unique index: no Argon2 per request). A token acts as its user with the user's role at the
 * time of use; it always expires (at most {@value #MAX_DAYS} days) and can be revoked by its user or an admin.
 */
@Service
public class UserTokens {

    public static final String PREFIX = "fku_";
    static final int DEFAULT_DAYS = 90;
    static final int MAX_DAYS = 365;
    private static final int RANDOM_BYTES = 32;
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._ -]{0,63}";

    /** A token as made: {@code secret} is the token, returned once and never stored. */
    public record Created(UserToken token, String secret) {
        @Override
        public String toString() {
            return "Created[" + token + ", secret=(redacted)]";
        }
    }

    /** What presenting a token came to. */
    sealed interface Outcome permits Accepted, Refused {
    }

    /** A valid token of an enabled user: act as {@code username} with {@code role}. */
    record Accepted(long tokenId, String username, Role role) implements Outcome {
    }

    /** A refused token: {@code tokenId} is null when no token has this hash. */
    record Refused(Long tokenId, String username, Reason reason) implements Outcome {
    }

    /** Why a token is refused, as the 401 answer says it. */
    enum Reason {
        MALFORMED("is not a valid Fleetkey user token"),
        UNKNOWN("is not a valid Fleetkey user token"),
        REVOKED("was revoked"),
        EXPIRED("has expired"),
        USER_DISABLED("belongs to a disabled user");

        final String phrase;

        Reason(String phrase) {
            this.phrase = phrase;
        }
    }

    private final JdbcClient jdbc;
    private final UserAccounts users;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** A {@link Clock} bean, if there is one (tests move time), replaces the system clock. */
    UserTokens(JdbcClient jdbc, UserAccounts users, AuditTrail audit, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.users = users;
        this.audit = audit;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Makes a token for {@code username} valid for {@code expiresInDays} (null: {@value #DEFAULT_DAYS}). */
    @Transactional
    public Created create(String username, String name, Integer expiresInDays) {
        String label = name == null ? "" : name.trim();
        if (!label.matches(NAME_PATTERN)) {
            throw new InvalidFieldException("name", "Name the token with 1-64 letters, digits, '.', '_', '-' or spaces,"
                    + " starting with a letter or digit, e.g. the script that uses it");
        }
        int days = expiresInDays == null ? DEFAULT_DAYS : expiresInDays;
        if (days < 1 || days > MAX_DAYS) {
            throw new InvalidFieldException("expiresInDays", "expiresInDays must be a whole number of days from 1 to "
                    + MAX_DAYS + " (default " + DEFAULT_DAYS + "); make a new token when it runs out");
        }
        long userId = users.idOf(username).orElseThrow(() -> new NotFoundException("No user " + username));
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = now();
        Instant expires = now.plus(Duration.ofDays(days));
        jdbc.sql("""
                INSERT INTO user_tokens (user_id, name, token_sha256, created_at, expires_at)
                VALUES (:user, :name, :hash, :at, :expires)""")
                .param("user", userId).param("name", label).param("hash", hash(secret))
                .param("at", utc(now)).param("expires", utc(expires))
                .update();
        long id = jdbc.sql("SELECT id FROM user_tokens WHERE token_sha256 = :hash").param("hash", hash(secret))
                .query(Long.class).single();
        audit.record("user-token.created", "user-token:" + id + " user:" + username + " name:" + label
                + " expires:" + expires);
        return new Created(new UserToken(id, username, label, now, expires, null, null, null), secret);
    }

    /** The tokens of {@code username}, newest first. */
    public List<UserToken> of(String username) {
        long userId = users.idOf(username).orElseThrow(() -> new NotFoundException("No user " + username));
        return tokens("WHERE user_id = :user", Map.of("user", userId));
    }

    /** Every token not revoked or expired for long, newest first: what an admin reviews. */
    public List<UserToken> all() {
        return tokens("WHERE revoked_at IS NULL AND expires_at > :since",
                Map.of("since", utc(now().minus(Duration.ofDays(30)))));
    }

    /**
     * Revokes token {@code id}. A user may revoke only their own tokens; an admin anyone's. A token the actor
     * may not see is reported as missing, so ids of other users' tokens are not confirmed.
     */
    @Transactional
    public UserToken revoke(long id, String actor, boolean actorIsAdmin) {
        UserToken token = tokens("WHERE id = :id", Map.of("id", id)).stream()
                .filter(t -> actorIsAdmin || t.username().equals(actor))
                .findFirst().orElseThrow(() -> new NotFoundException("No API token " + id + (actorIsAdmin ? "" : " of yours")));
        if (token.revokedAt() != null) {
            throw new StateConflictException("already-revoked", "API token " + id + " was revoked already, at " + token.revokedAt());
        }
        jdbc.sql("UPDATE user_tokens SET revoked_at = :at, revoked_by = :by WHERE id = :id")
                .param("at", utc(now())).param("by", actor).param("id", id).update();
        audit.record("user-token.revoked", "user-token:" + id + " user:" + token.username() + " name:" + token.name());
        return token;
    }

    /** Checks a presented token; an accepted one notes its use (to the minute). Writes no audit entry. */
    Outcome authenticate(String token) {
        if (!wellFormed(token)) {
            return new Refused(null, null, Reason.MALFORMED);
        }
        record Row(long id, long userId, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
        }
        Optional<Row> found = jdbc.sql("""
                SELECT id, user_id, expires_at, revoked_at, last_used_at FROM user_tokens WHERE token_sha256 = :hash""")
                .param("hash", hash(token))
                .query((rs, n) -> new Row(rs.getLong("id"), rs.getLong("user_id"), instant(rs, "expires_at"),
                        instant(rs, "revoked_at"), instant(rs, "last_used_at")))
                .optional();
        if (found.isEmpty()) {
            return new Refused(null, null, Reason.UNKNOWN);
        }
        Row row = found.get();
        Optional<UserAccounts.Account> account = users.byId(row.userId());
        String username = account.map(UserAccounts.Account::username).orElse(null);
        Instant now = now();
        if (row.revokedAt() != null) {
            return new Refused(row.id(), username, Reason.REVOKED);
        }
        if (!row.expiresAt().isAfter(now)) {
            return new Refused(row.id(), username, Reason.EXPIRED);
        }
        if (account.isEmpty() || !account.get().enabled()) {
            return new Refused(row.id(), username, Reason.USER_DISABLED);
        }
        if (row.lastUsedAt() == null || row.lastUsedAt().isBefore(now.minus(LAST_USED_PRECISION))) {
            jdbc.sql("UPDATE user_tokens SET last_used_at = :at WHERE id = :id")
                    .param("at", utc(now)).param("id", row.id()).update();
        }
        return new Accepted(row.id(), username, account.get().role());
    }

    /** Audits a refused token: which one (if known), whose, and why; never the token. */
    void recordRefusal(Refused refused) {
        audit.recordAs("anonymous", "user-token.refused", "user-token:" + (refused.tokenId() == null ? "unknown" : refused.tokenId())
                + (refused.username() == null ? "" : " user:" + refused.username()) + " reason:" + refused.reason().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The time now, to the microsecond the database keeps (a rounded nanosecond could outlive an expiry). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Whether {@code token} looks like a user token: the prefix and 43 base64url characters. */
    static boolean wellFormed(String token) {
        return token != null && token.length() == PREFIX.length() + 43 && token.startsWith(PREFIX)
                && token.substring(PREFIX.length()).chars()
                        .allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'));
    }

    private List<UserToken> tokens(String where, Map<String, Object> params) {
        Map<Long, String> names = users.all().stream()
                .collect(Collectors.toMap(UserAccounts.Account::id, UserAccounts.Account::username));
        return jdbc.sql("SELECT id, user_id, name, created_at, expires_at, last_used_at, revoked_at, revoked_by"
                        + " FROM user_tokens " + where + " ORDER BY id DESC")
                .params(params)
                .query((rs, n) -> new UserToken(rs.getLong("id"), names.getOrDefault(rs.getLong("user_id"), "?"),
                        rs.getString("name"), instant(rs, "created_at"), instant(rs, "expires_at"),
                        instant(rs, "last_used_at"), instant(rs, "revoked_at"), rs.getString("revoked_by")))
                .list();
    }

    /** Lower-case hex SHA-256 of the token's characters. */
    static String hash(String token) {
        return Sha256.hex(token);
    }

    private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
