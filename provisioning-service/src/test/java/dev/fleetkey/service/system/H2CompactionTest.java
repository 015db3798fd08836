package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2CompactionTest {

    @TempDir
    Path dir;

    @Test
    void compactionRunsOnceAtStartUpKeepsEveryRowAndLeavesNothingRunningBesideTheRequests() throws Exception {
        try (Connection connection = dataSource().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARBINARY(4000))");
            // many small commits, each a chunk: the way devices arrive, and what WRITE_DELAY=0 never compacts
            for (int round = 0; round < 40; round++) {
                insert(connection, round * 100, 100);
                sql.execute("DELETE FROM t WHERE id < " + (round * 100));
            }
            new H2Compaction(dataSource());
            insert(connection, 10_000, 100);

            assertThat(Thread.getAllStackTraces().keySet()).as("nothing compacts while the service serves")
                    .noneMatch(t -> t.getName().contains("compaction"));
            try (var rows = sql.executeQuery("SELECT COUNT(*) FROM t")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(200);
            }
        }
    }

    private JdbcDataSource dataSource() {
        JdbcDataSource source = new JdbcDataSource();
        source.setURL("jdbc:h2:file:" + dir.resolve("fleetkey") + ";WRITE_DELAY=0");
        source.setUser("sa");
        return source;
    }

    private static void insert(Connection connection, int from, int count) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            for (int i = from; i < from + count; i++) {
                insert.setInt(1, i);
                insert.setBytes(2, new byte[3000]);
                insert.executeUpdate();
            }
        }
    }
}
