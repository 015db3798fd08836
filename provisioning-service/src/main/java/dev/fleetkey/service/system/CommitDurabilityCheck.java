package dev.fleetkey.service.system;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refuses to start on a database setting under which a commit returns before it is written: the service
 * answers 201 right after its commit, and a station flashes what it was answered. That is H2 with a
 * {@code WRITE_DELAY} (H2's default, 500 ms, lost the last half second of answers in a crash) and
 * PostgreSQL with {@code synchronous_commit=off}. PostgreSQL with {@code fsync=off} only gets a warning: like
 * H2, what was acknowledged then survives a crash of either process, not a power loss (README, "What
 * acknowledged means"). {@code fleetkey.unsafe-commits-allowed=true} starts anyway with a warning, for
 * measuring what durability costs (PERFORMANCE.md); never in production.
 */
@Component
class CommitDurabilityCheck {

    static final String OVERRIDE = "fleetkey.unsafe-commits-allowed";
    private static final Logger log = LoggerFactory.getLogger(CommitDurabilityCheck.class);

    CommitDurabilityCheck(DataSource dataSource, FleetkeyProperties settings) {
        boolean unsafeAllowed = settings.unsafeCommitsAllowed();
        Optional<StartupProblem> problem;
        try (Connection connection = dataSource.getConnection()) {
            problem = check(connection);
        } catch (SQLException e) {
            throw new StartupProblem("Cannot read the database's commit settings: " + e.getMessage(),
                    "Check spring.datasource.url and that the database is reachable", e);
        }
        if (problem.isPresent() && !unsafeAllowed) {
            throw problem.get();
        }
        problem.ifPresent(p -> log.warn("{} ({}=true): answers given before a crash may be lost", p.getMessage(), OVERRIDE));
    }

    /** The setting that lets a commit return before it is written, if the database has one. */
    static Optional<StartupProblem> check(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            if (connection.getMetaData().getURL().contains(":mem:")) {
                return Optional.empty();
            }
            String delay = query(connection, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'");
            return "0".equals(delay) ? Optional.empty() : Optional.of(new StartupProblem(
                    "H2 runs with WRITE_DELAY=" + delay + ": a commit returns before it is written, so a crash takes back"
                            + " the last answers given",
                    "Add ;WRITE_DELAY=0 to spring.datasource.url, as the default URL in application.yml has it", null));
        }
        if (product.contains("postgresql")) {
            if ("off".equals(query(connection, "SHOW fsync"))) {
                log.warn("PostgreSQL runs with fsync=off: acknowledged writes survive a crash of the service or the"
                        + " database, but a power loss or an operating-system crash can lose them or corrupt the database");
            }
            String synchronous = query(connection, "SHOW synchronous_commit");
            return !"off".equals(synchronous) ? Optional.empty() : Optional.of(new StartupProblem(
                    "PostgreSQL runs with synchronous_commit=off: a commit returns before it is written, so a crash of"
                            + " the database takes back the last answers given",
                    "Set synchronous_commit = on (its default) in postgresql.conf, or for this database:"
                            + " ALTER DATABASE <name> SET synchronous_commit = on", null));
        }
        return Optional.empty();
    }

    private static String query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
