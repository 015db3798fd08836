package dev.fleetkey.service.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetkey.bundle.Eui64;

/**
 * How the endpoint learns, without a restart, what changed in the data its cache holds: every
 * {@code interval} it reads the {@link CredentialChangeLog} from where it left off (any instance's revocations
 * and rotations), forgets those devices, and re-reads its own server credentials. A change made on this instance
 * arrives right after its commit, not a poll later. The sessions of a forgotten device end at their next
 * datagram: a request is answered 4.03 (the reason, which a bare {@code close_notify} would not give the device)
 * and the session closed; a resumption turns into a full handshake that is refused.
 *
 * <p>A short poll, not PostgreSQL's LISTEN/NOTIFY: it works the same on H2 (the default) and PostgreSQL, a
 * notification missed while a connection was down would need this read anyway, and one indexed query per
 * second per instance costs nothing. The cache is trusted only while polls succeed ({@link #horizon}).
 */
final class CredentialChangeWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialChangeWatcher.class);
    private static final int BATCH = 1000;
    private static final Duration KEEP = Duration.ofDays(1);
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final CredentialChangeLog log;
    private final CachedCredentialDirectory cache;
    private final DeviceEndpoint endpoint;
    private final Optional<EndpointCredentialSource> serverCredentials;
    private final Duration interval;
    private final Clock clock = Clock.systemUTC();
    /** Made at each start: the endpoint can be stopped and started again. */
    private ScheduledExecutorService timer;
    private boolean listening;
    private long seen;
    private long lastPruneNanos = System.nanoTime();

    CredentialChangeWatcher(CredentialChangeLog log, CachedCredentialDirectory cache, DeviceEndpoint endpoint,
                            Optional<EndpointCredentialSource> serverCredentials, Duration interval) {
        this.log = log;
        this.cache = cache;
        this.endpoint = endpoint;
        this.serverCredentials = serverCredentials;
        this.interval = interval;
    }

    /** Starts from the newest change (the cache is empty) and polls every interval. */
    void start() {
        synchronized (this) {
            seen = log.latestSequence();
        }
        cache.confirmedFresh(horizon());
        if (!listening) {
            log.onLocalChange(this::changed);
            listening = true;
        }
        ScheduledExecutorService next = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "device-endpoint-changes");
            thread.setDaemon(true);
            return thread;
        });
        synchronized (this) {
            timer = next;
        }
        next.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How long cached answers stay trusted after a successful poll: three polls may fail in a row, no more. */
    private Duration horizon() {
        return interval.multipliedBy(3).plusSeconds(1);
    }

    /** One poll; also what a test calls instead of waiting. */
    void poll() {
        try {
            Set<Eui64> devices = new LinkedHashSet<>();
            boolean gap = false;
            synchronized (this) {
                List<CredentialChangeLog.Change> changes;
                do {
                    changes = log.after(seen, BATCH);
                    if (!changes.isEmpty() && changes.get(0).sequence() != seen + 1) {
                        gap = true; // pruned before this instance read them: forget everything
                    }
                    for (CredentialChangeLog.Change change : changes) {
                        devices.add(change.device());
                        seen = change.sequence();
                    }
                } while (changes.size() == BATCH);
            }
            if (gap) {
                cache.forgetAll();
            }
            changed(devices);
            cache.confirmedFresh(horizon());
            serverCredentials.ifPresent(source -> {
                if (endpoint.useServerCredentials(source.current())) {
                    LOG.info("Device endpoint serves its new server credentials from the next handshake on");
                }
            });
            pruneNowAndThen();
        } catch (RuntimeException e) {
            LOG.warn("Device endpoint could not read credential changes ({}); the endpoint reads the database on every "
                    + "lookup until it can", e.toString());
        }
    }

    private void changed(Set<Eui64> devices) {
        if (devices.isEmpty()) {
            return;
        }
        cache.forget(devices);
    }

    private void pruneNowAndThen() {
        if (System.nanoTime() - lastPruneNanos < PRUNE_EVERY.toNanos()) {
            return;
        }
        lastPruneNanos = System.nanoTime();
        int pruned = log.prune(clock.instant().minus(KEEP));
        if (pruned > 0) {
            LOG.debug("Pruned {} credential changes older than {}", pruned, KEEP);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
