package dev.fleetkey.service.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * Signs a checkpoint when one is due: once {@code fleetkey.audit.checkpoint.entries} entries (default 100)
 * were added since the newest checkpoint, or once {@code fleetkey.audit.checkpoint.interval} (default 10m)
 * has passed since it and at least one entry was added. Whether one is due is looked at every
 * {@code fleetkey.audit.checkpoint.check-every} (default 5s) on one background thread; an idle log gets no
 * new checkpoints.
 */
@Component
@EnableConfigurationProperties(CheckpointSchedule.Policy.class)
class CheckpointSchedule implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSchedule.class);

    /** When a checkpoint is due: {@code fleetkey.audit.checkpoint.*}, validated once at start-up. */
    @ConfigurationProperties("fleetkey.audit.checkpoint")
    record Policy(@DefaultValue("100") long entries, @DefaultValue("10m") Duration interval,
            @DefaultValue("5s") Duration checkEvery) {
        Policy {
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(checkEvery, "checkEvery");
            if (entries < 1) {
                throw new IllegalArgumentException("fleetkey.audit.checkpoint.entries is " + entries
                        + ": sign a checkpoint after at least 1 entry");
            }
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("fleetkey.audit.checkpoint.interval is " + interval
                        + ": use at least 1s");
            }
            if (checkEvery.compareTo(Duration.ofMillis(100)) < 0 || checkEvery.compareTo(interval) > 0) {
                throw new IllegalArgumentException("fleetkey.audit.checkpoint.check-every is " + checkEvery
                        + ": use at least 100ms and at most the interval (" + interval + ")");
            }
        }

        /** Whether a checkpoint is due for a head at {@code headSeq}, the newest covering {@code coveredSeq}. */
        boolean due(long headSeq, long coveredSeq, Instant lastSigned, Instant now) {
            return headSeq > coveredSeq
                    && (headSeq - coveredSeq >= entries || !now.isBefore(lastSigned.plus(interval)));
        }
    }

    private final AuditCheckpoints checkpoints;
    private final AuditChain chain;
    private final Policy policy;
    private final Instant startedAt;
    private ScheduledExecutorService timer;
    private String lastProblem;

    CheckpointSchedule(AuditCheckpoints checkpoints, AuditChain chain, Policy policy) {
        this.checkpoints = checkpoints;
        this.chain = chain;
        this.policy = policy;
        this.startedAt = checkpoints.now();
    }

    @Override
    public void afterPropertiesSet() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "audit-checkpoints");
            t.setDaemon(true);
            return t;
        });
        long every = policy.checkEvery().toMillis();
        timer.scheduleWithFixedDelay(this::signIfDue, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }

    void signIfDue() {
        try {
            long head = chain.state().head().seq();
            Optional<CheckpointStore.StoredRow> newest = checkpoints.newestRow();
            long covered = newest.map(CheckpointStore.StoredRow::chainSeq).orElse(0L);
            Instant lastSigned = newest.map(CheckpointStore.StoredRow::signedAt).orElse(startedAt);
            if (policy.due(head, covered, lastSigned, checkpoints.now())) {
                checkpoints.create();
                lastProblem = null;
            }
        } catch (ChainBrokenException e) {
            if (!e.getMessage().equals(lastProblem)) {
                log.error("{}", e.getMessage());
                lastProblem = e.getMessage();
            }
        } catch (RuntimeException e) {
            // the next round tries again; a closing database at shutdown lands here too
            log.warn("Could not sign an audit checkpoint: {}", e.toString());
        }
    }
}
