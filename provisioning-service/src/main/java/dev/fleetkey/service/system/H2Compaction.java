package dev.fleetkey.service.system;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Compacts the H2 file once at start-up, before the service answers anyone. H2 compacts from a background thread
 * that only runs with a {@code WRITE_DELAY}; with {@code WRITE_DELAY=0} (every commit written before it returns,
 * see {@link CommitDurabilityCheck}) the thread is gone and the file keeps every chunk that still holds a live
 * page: 5.4 GB, 4 % of it live, after 60,000 devices.
 *
 * <p>Only at start-up, not while serving: H2 2.4.240's {@code MVStore.compact} races with concurrent writes
 * ("Position 0", h2database PR #4374) and then closes the store, which took the whole service down under load.
 * So the file grows while the service runs and gives the space back at the next start (PERFORMANCE.md). Only the
 * H2 file database with {@code WRITE_DELAY=0} needs it; on PostgreSQL or an in-memory H2 it does nothing.
 */
@Component
class H2Compaction {

    /** Rewrite chunks while fewer than this per cent of their pages are live. */
    static final int TARGET_FILL_RATE = 50;
    /** Live data rewritten per step. */
    static final int BYTES_PER_STEP = 16 * 1024 * 1024;
    /** Start-up waits at most this long for compaction; what is left waits for the next start. */
    static final Duration AT_MOST = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);

    H2Compaction(DataSource dataSource) throws SQLException {
        MVStore store = fileStore(dataSource);
        if (store != null) {
            compact(store);
        }
    }

    static void compact(MVStore store) {
        long deadline = System.nanoTime() + AT_MOST.toNanos();
        int before = store.getFillRate();
        try {
            while (!store.isClosed() && System.nanoTime() < deadline
                    && store.compact(TARGET_FILL_RATE, BYTES_PER_STEP)) {
                store.commit();
            }
        } catch (RuntimeException e) {
            log.warn("H2 compaction at start-up stopped: {}", e.toString());
        }
        if (!store.isClosed() && store.getFillRate() > before) {
            // the space freed is reused by new chunks; the file itself is shortened only by SHUTDOWN COMPACT
            log.info("H2 file compacted at start-up: {} % of it live, {} % before", store.getFillRate(), before);
        }
    }

    /** The MVStore of an H2 file database, or null for anything else. */
    private static MVStore fileStore(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (!product.contains("h2") || connection.getMetaData().getURL().contains(":mem:")
                    || !connection.isWrapperFor(JdbcConnection.class)) {
                return null;
            }
            // with a WRITE_DELAY, H2's own background thread compacts (and the service refuses to start anyway)
            if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session
                    && session.getDatabase().isPersistent() && session.getDatabase().getWriteDelay() == 0) {
                return session.getDatabase().getStore().getMvStore();
            }
            return null;
        }
    }
}
