package dev.fleetkey.service.users;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;

/**
 * Login accounts kept in the {@code users} table; passwords only as hashes. Deliberately not a
 * {@code UserDetailsService} bean: password logins go through the login throttle's authentication provider
 * ({@code logins.ThrottledPasswordLogins}), which asks this class for the account.
 */
@Component
public class UserAccounts {

    /** A login as the users page shows it; no hash. */
    public record Account(long id, String username, Role role, boolean enabled, Instant createdAt) {
    }

    private final JdbcClient jdbc;

    UserAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account for a password check; {@link UsernameNotFoundException} if there is none. */
    public UserDetails loadUserByUsername(String username) {
        return jdbc.sql("SELECT username, password_hash, role, enabled FROM users WHERE username = :u")
                .param("u", username)
                .query((rs, n) -> User.withUsername(rs.getString("username"))
                        .password(rs.getString("password_hash"))
                        .roles(rs.getString("role"))
                        .disabled(!rs.getBoolean("enabled"))
                        .build())
                .optional()
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }

    public List<Account> all() {
        return jdbc.sql("SELECT id, username, role, enabled, created_at FROM users ORDER BY username")
                .query((rs, n) -> account(rs))
                .list();
    }

    /** The account's id, if {@code username} exists. */
    public Optional<Long> idOf(String username) {
        return jdbc.sql("SELECT id FROM users WHERE username = :u").param("u", username).query(Long.class).optional();
    }

    /** The account with id {@code id} as it is now (role and enabled may have changed since a token was made). */
    public Optional<Account> byId(long id) {
        return jdbc.sql("SELECT id, username, role, enabled, created_at FROM users WHERE id = :id").param("id", id)
                .query((rs, n) -> account(rs))
                .optional();
    }

    public boolean exists(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE username = :u").param("u", username)
                .query(Long.class).single() > 0;
    }

    /** Enabled admins other than {@code username}: the last one may not be demoted or disabled. */
    long otherEnabledAdmins(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM users WHERE role = 'ADMIN' AND enabled = TRUE AND username <> :u")
                .param("u", username).query(Long.class).single();
    }

    void update(String username, Role role, boolean enabled) {
        jdbc.sql("UPDATE users SET role = :r, enabled = :e WHERE username = :u")
                .param("r", role.name()).param("e", enabled).param("u", username)
                .update();
    }

    private static Account account(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Account(rs.getLong("id"), rs.getString("username"), Role.valueOf(rs.getString("role")), rs.getBoolean("enabled"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    long count() {
        return jdbc.sql("SELECT COUNT(*) FROM users").query(Long.class).single();
    }

    void create(String username, String passwordHash, String role) {
        jdbc.sql("""
                INSERT INTO users (username, password_hash, role, enabled, created_at)
                VALUES (:u, :h, :r, TRUE, :at)""")
                .param("u", username)
                .param("h", passwordHash)
                .param("r", role)
                .param("at", OffsetDateTime.now(ZoneOffset.UTC))
                .update();
    }
}
