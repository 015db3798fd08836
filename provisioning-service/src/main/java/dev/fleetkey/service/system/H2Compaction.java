package dev.fleetkey.service.system;

import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Compacts the H2 file while the service runs. H2 does that from a background thread that only runs with a
 * {@code WRITE_DELAY}; with {@code WRITE_DELAY=0} (every commit written before it returns, see
 * {@link CommitDurabilityCheck}) the thread is gone and the file keeps every chunk that still holds a live
 * page: 5.4 GB, 4 % of it live, after 60,000 devices. Once a second this rewrites the live pages of the
 * emptiest chunks (the same {@code MVStore.compact} H2's thread calls), so their space is reused. Only the
 * H2 file database with {@code WRITE_DELAY=0} needs it; on PostgreSQL or an in-memory H2 it does nothing.
 */
@Component
class H2Compaction {

    /** Rewrite while fewer than this per cent of the chunks' pages are live. */
    static final int TARGET_FILL_RATE = 50;
    /** At most this much live data is rewritten per run, so a run holds H2's store lock only briefly. */
    static final int BYTES_PER_RUN = 4 * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);

    private final ScheduledExecutorService thread;

    H2Compaction(DataSource dataSource) throws SQLException {
        MVStore store = fileStore(dataSource);
        if (store == null) {
            thread = null;
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleetkey-h2-compaction");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> compact(store), 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    private static void compact(MVStore store) {
        try {
            if (!store.isClosed()) {
                store.compact(TARGET_FILL_RATE, BYTES_PER_RUN);
            }
        } catch (RuntimeException e) {
            // the next run tries again; H2 reports a store it could not recover from to the next statement
            log.warn("H2 compaction failed: {}", e.toString());
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
