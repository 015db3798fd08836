package dev.fleetkey.service.logins;

import static dev.fleetkey.service.system.UtcColumns.utc;

import dev.fleetkey.service.audit.AuditTrail;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Counts failed password logins per user name (as typed, existing or not) and per source address in the
 * {@code login_failures} table, so every service instance sees the same counts, and locks a name or an address
 * once it has too many (see {@link LoginThrottleSettings}). A locked login is refused before its password is
 * checked, so a refusal costs one indexed read instead of an Argon2 hash, and is not counted: an address that
 * is locked can no longer add failures to a user name, so one guessing address extends a user name's lock only
 * until its own lock outgrows it (the README states the trade-off). Locks and unlocks are audited.
 */
@Service
public class LoginThrottle {

    /** What a counter is keyed by. */
    public enum Kind { ADDRESS, ACCOUNT }

    /** A counter as the users page shows it. */
    public record Counter(Kind kind, String subject, int failures, Instant lastFailureAt, Instant lockedUntil) {
        public boolean locked(Instant now) {
            return lockedUntil != null && lockedUntil.isAfter(now);
        }
    }

    /** Why a login is refused before its password is checked, and for how long. */
    public record Refusal(Kind kind, Duration retryAfter) {
    }

    /** The outcome of {@link #check}: a refusal, or whether the account has failures to clear on success. */
    record Check(Optional<Refusal> refusal, boolean accountHasFailures) {
    }

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    private static final int MAX_SUBJECT = 128;
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final LoginThrottleSettings settings;
    private final Clock clock;
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    /** A {@link Clock} bean, if there is one (tests move time), replaces the system clock. */
    LoginThrottle(JdbcClient jdbc, AuditTrail audit, LoginThrottleSettings settings, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Whether a password login for {@code account} from {@code address} may be tried now. */
    Check check(String account, String address) {
        Instant now = now();
        List<Counter> counters = jdbc.sql("""
                SELECT kind, subject, failures, last_failure_at, locked_until FROM login_failures
                WHERE (kind = 'ADDRESS' AND subject = :address) OR (kind = 'ACCOUNT' AND subject = :account)""")
                .param("address", subject(address)).param("account", subject(account))
                .query((rs, n) -> counter(rs)).list();
        // when both are locked, the lock that ends last is the one to wait for
        Optional<Refusal> refusal = counters.stream()
                .filter(c -> c.locked(now))
                .max(Comparator.comparing(Counter::lockedUntil))
                .map(c -> new Refusal(c.kind(), Duration.between(now, c.lockedUntil())));
        return new Check(refusal, counters.stream().anyMatch(c -> c.kind() == Kind.ACCOUNT));
    }

    /**
     * Counts a wrong password for {@code account} from {@code address}; locks either when it has too many. Each
     * statement commits on its own (no surrounding transaction), so a lost insert race costs only a retry.
     */
    public void failed(String account, String address) {
        Instant now = now();
        purgeForgotten(now);
        lockIfNeeded(Kind.ADDRESS, address, settings.addressLockAfter(count(Kind.ADDRESS, address, now)), now);
        lockIfNeeded(Kind.ACCOUNT, account, settings.accountLockAfter(count(Kind.ACCOUNT, account, now)), now);
    }

    /** Counts a failure for the address only, e.g. an unknown API token. */
    public void addressFailed(String address) {
        Instant now = now();
        purgeForgotten(now);
        lockIfNeeded(Kind.ADDRESS, address, settings.addressLockAfter(count(Kind.ADDRESS, address, now)), now);
    }

    /** How long {@code address} is still locked, or zero. */
    Duration addressLocked(String address) {
        Instant now = now();
        return jdbc.sql("SELECT locked_until FROM login_failures WHERE kind = 'ADDRESS' AND subject = :s")
                .param("s", subject(address)).query(OffsetDateTime.class).optional()
                .map(OffsetDateTime::toInstant).filter(now::isBefore)
                .map(until -> Duration.between(now, until)).orElse(Duration.ZERO);
    }

    /** A correct password: the user name's failures are forgotten (the address's are not). */
    void succeeded(String account) {
        jdbc.sql("DELETE FROM login_failures WHERE kind = 'ACCOUNT' AND subject = :s").param("s", subject(account)).update();
    }

    /** Counters with a failure that still counts, newest first: what the users page shows. */
    public List<Counter> recent() {
        Instant now = now();
        return jdbc.sql("""
                SELECT kind, subject, failures, last_failure_at, locked_until FROM login_failures
                WHERE last_failure_at > :since OR locked_until > :now ORDER BY last_failure_at DESC LIMIT 100""")
                .param("since", utc(now.minus(settings.forgetAfter()))).param("now", utc(now))
                .query((rs, n) -> counter(rs)).list();
    }

    /** Forgets the failures of {@code subject} and lifts its lock (an administrator's action). */
    @Transactional
    public void unlock(Kind kind, String subject) {
        int removed = jdbc.sql("DELETE FROM login_failures WHERE kind = :k AND subject = :s")
                .param("k", kind.name()).param("s", subject).update();
        if (removed > 0) {
            audit.record("login.unlocked", label(kind) + ":" + printable(subject));
        }
    }

    /** The time now, to the microsecond the database keeps (a rounded nanosecond could outlive an expiry). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * Every user name tried gets a row, so names made up by a guesser would pile up: rows whose failures no
     * longer count and whose lock has passed are deleted, at most every {@link #PURGE_INTERVAL}.
     */
    private void purgeForgotten(Instant now) {
        Instant last = lastPurge.get();
        if (now.isBefore(last.plus(PURGE_INTERVAL)) || !lastPurge.compareAndSet(last, now)) {
            return;
        }
        jdbc.sql("""
                DELETE FROM login_failures WHERE last_failure_at < :forget
                AND (locked_until IS NULL OR locked_until < :now)""")
                .param("forget", utc(now.minus(settings.forgetAfter()))).param("now", utc(now)).update();
    }

    private int count(Kind kind, String value, Instant now) {
        String subject = subject(value);
        OffsetDateTime at = utc(now);
        OffsetDateTime forgetBefore = utc(now.minus(settings.forgetAfter()));
        for (int attempt = 0; attempt < 3; attempt++) {
            int updated = jdbc.sql("""
                    UPDATE login_failures SET failures = CASE WHEN last_failure_at < :forget THEN 1 ELSE failures + 1 END,
                        last_failure_at = :at WHERE kind = :k AND subject = :s""")
                    .param("forget", forgetBefore).param("at", at).param("k", kind.name()).param("s", subject).update();
            if (updated == 0) {
                try {
                    jdbc.sql("""
                            INSERT INTO login_failures (kind, subject, failures, last_failure_at)
                            VALUES (:k, :s, 1, :at)""")
                            .param("k", kind.name()).param("s", subject).param("at", at).update();
                    return 1;
                } catch (DuplicateKeyException raced) {
                    continue;
                }
            }
            return jdbc.sql("SELECT failures FROM login_failures WHERE kind = :k AND subject = :s")
                    .param("k", kind.name()).param("s", subject).query(Integer.class).single();
        }
        throw new IllegalStateException("Could not count a failed login for " + kind + " " + printable(subject));
    }

    private void lockIfNeeded(Kind kind, String value, Duration lock, Instant now) {
        if (lock.isZero()) {
            return;
        }
        String subject = subject(value);
        jdbc.sql("UPDATE login_failures SET locked_until = :until WHERE kind = :k AND subject = :s")
                .param("until", utc(now.plus(lock))).param("k", kind.name()).param("s", subject).update();
        log.warn("Too many failed logins for {} {}: locked for {}", label(kind), printable(subject), lock);
        audit.recordAs("anonymous", "login.locked", label(kind) + ":" + printable(subject) + " for:" + lock.toSeconds() + "s");
    }

    private static Counter counter(java.sql.ResultSet rs) throws java.sql.SQLException {
        OffsetDateTime until = rs.getObject("locked_until", OffsetDateTime.class);
        return new Counter(Kind.valueOf(rs.getString("kind")), rs.getString("subject"), rs.getInt("failures"),
                rs.getObject("last_failure_at", OffsetDateTime.class).toInstant(), until == null ? null : until.toInstant());
    }

    private static String label(Kind kind) {
        return kind == Kind.ACCOUNT ? "user" : "address";
    }

    /** The key a name or address is counted under: what was sent, cut to the column's size. */
    private static String subject(String value) {
        String v = value == null || value.isEmpty() ? "(none)" : value;
        return v.length() > MAX_SUBJECT ? v.substring(0, MAX_SUBJECT) : v;
    }

    /** A user name as typed, safe for the log and the audit trail (it is whatever the client sent). */
    static String printable(String value) {
        String cleaned = String.valueOf(value).replaceAll("[^\\p{Alnum}._@:-]", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "..." : cleaned;
    }
}
