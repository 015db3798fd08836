package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An H2 file database whose commits return before they are written is refused, naming what to add to the URL. */
class CommitDurabilityCheckTest {

    @TempDir
    Path dir;

    @Test
    void h2WithItsDefaultWriteDelayIsRefusedNamingTheSettingToAdd() throws Exception {
        Optional<StartupProblem> problem = check("jdbc:h2:file:" + dir.resolve("db"));

        assertThat(problem).isPresent();
        assertThat(problem.get().getMessage()).contains("WRITE_DELAY=500");
        assertThat(problem.get().action()).contains(";WRITE_DELAY=0").contains("spring.datasource.url");
    }

    @Test
    void h2WithAnyOtherWriteDelayIsRefusedToo() throws Exception {
        assertThat(check("jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=50")).isPresent();
    }

    @Test
    void h2ThatWritesEveryCommitBeforeReturningPasses() throws Exception {
        assertThat(check("jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=0")).isEmpty();
    }

    @Test
    void anInMemoryH2HasNothingToLoseAndPasses() throws Exception {
        assertThat(check("jdbc:h2:mem:durability-check")).isEmpty();
    }

    @Test
    void startUpOnAnUnsafeDatabaseStopsUnlessTheSettingAllowsIt() {
        JdbcDataSource unsafe = new JdbcDataSource();
        unsafe.setURL("jdbc:h2:file:" + dir.resolve("db"));
        unsafe.setUser("sa");

        assertThatThrownBy(() -> new CommitDurabilityCheck(unsafe, settings(false)))
                .isInstanceOf(StartupProblem.class).hasMessageContaining("WRITE_DELAY=500");
        assertThatCode(() -> new CommitDurabilityCheck(unsafe, settings(true))).doesNotThrowAnyException();
    }

    private FleetkeyProperties settings(boolean unsafeCommitsAllowed) {
        return new FleetkeyProperties(dir, dir, dir, unsafeCommitsAllowed);
    }

    private static Optional<StartupProblem> check(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            return CommitDurabilityCheck.check(connection);
        }
    }
}
