package db.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 20, H2 only: the identity columns of the tables every provisioning inserts into take 1,000 numbers
 * at a time instead of H2's 32. H2 writes a sequence's new high-water mark in a commit of its own each time it takes
 * more numbers, and with {@code WRITE_DELAY=0} that commit is a write of the file: a batch chunk of 200 devices took
 * about 25 of them (a fifth of the batch workers' time in a profile) on top of its one commit. After a crash the
 * numbers not yet used are skipped; ids keep growing in insert order, since an H2 sequence is one for the database.
 * PostgreSQL is left alone: its sequences are not written with a commit, and a cache there is per session, which would
 * hand two instances interleaved blocks and break "ordered by id is oldest first".
 */
public class V20__h2_identity_cache extends BaseJavaMigration {

    private static final String[] TABLES = {"devices", "device_credentials", "bundles_issued", "audit_events",
        "device_checkins"};

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        if (!connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE 1000");
            }
        }
    }
}
