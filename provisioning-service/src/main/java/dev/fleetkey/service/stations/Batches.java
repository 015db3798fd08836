package dev.fleetkey.service.stations;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.devices.CallerRules;
import dev.fleetkey.service.pki.SealedSecretException;
import dev.fleetkey.service.pki.SecretSealer;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.system.RequestText;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import dev.fleetkey.service.users.Role;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Batch provisioning as a job: the request stores the batch and one pending item per EUI-64 and answers
 * at once; a worker then provisions the items in chunks ({@code fleetkey.batches.chunk-size}), each chunk
 * in one transaction with one durable commit ({@link BatchChunks}): one bad EUI-64 fails only its item
 * (with the reason), and a crash leaves every item reported done whole and the others pending. When no
 * item is pending the signed manifest is written.
 *
 * <p>Several service instances share the batches: an instance runs a batch only under a claim (a lease in the
 * {@code batches} row, renewed before each chunk), and every instance looks every {@link #SWEEP} for running
 * batches whose claim ran out (their instance died) and takes them over, so a batch finishes without waiting for a
 * restart, and a batch claimed by a live instance is never run twice.
 */
@Service
public class Batches {

    static final int MAX_ITEMS = 10_000;
    static final Duration LEASE = Duration.ofSeconds(15);
    static final Duration SWEEP = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(Batches.class);

    private final BatchRepository batches;
    private final BatchChunks chunks;
    private final StationRepository stations;
    private final CallerRules rules;
    private final SecretSealer sealer;
    private final BatchManifest manifests;
    private final TransactionTemplate transactions;
    private final ExecutorService workers;
    private final TemplateCatalog templates;
    private final ScheduledExecutorService sweeper;
    /** This instance's name in the claims it makes. */
    private final String worker = UUID.randomUUID().toString();
    /** Batches this instance is running now (to submit each once), not who may run them: that is the claim. */
    private final Set<Long> runningHere = ConcurrentHashMap.newKeySet();
    private final int chunkSize;

    Batches(BatchRepository batches, BatchChunks chunks, StationRepository stations, CallerRules rules,
            SecretSealer sealer, BatchManifest manifests, PlatformTransactionManager transactionManager,
            TemplateCatalog templates, BatchProperties settings) {
        this.batches = batches;
        this.chunks = chunks;
        this.templates = templates;
        this.stations = stations;
        this.rules = rules;
        this.sealer = sealer;
        this.manifests = manifests;
        this.transactions = new TransactionTemplate(transactionManager);
        this.chunkSize = settings.chunkSize();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fleetkey-batch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleetkey-batch-claims");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Stores a batch in the caller's transaction and starts it once that commits.
     *
     * @throws InvalidFieldException for a missing template or an empty or oversized list
     * @throws TemplateNotAllowedException for a template the station may not use
     */
    public long start(Caller caller, String template, List<String> eui64s) {
        // who started it: a station by its audit name, a user as user:<name> (the batch runs as them later)
        String principal = caller instanceof Caller.Station ? caller.auditName() : caller.idempotencyScope();
        if (template == null || template.isBlank()) {
            throw new InvalidFieldException("template", "template is missing: give the template id all devices of the batch"
                    + " are provisioned from, e.g. \"demo-sensor\"");
        }
        if (eui64s == null || eui64s.isEmpty() || eui64s.size() > MAX_ITEMS) {
            throw new InvalidFieldException("eui64s", "eui64s must list 1 to " + MAX_ITEMS + " EUI-64s, e.g."
                    + " [\"00-11-22-FF-FE-33-44-55\"]; split larger lots into several batches");
        }
        RequestText.exact("template", template);
        rules.checkTemplate(caller, template.split("@", 2)[0]);
        // refused now, not as a failure of every item once the batch runs
        if (templates.find(template).isEmpty()) {
            throw new InvalidFieldException("template", "Unknown template '" + abbreviate(template) + "': known are "
                    + templates.all().stream().map(DeviceTemplate::reference).toList() + " (give an id, or id@version)");
        }
        List<String> items = new ArrayList<>(eui64s.size());
        for (int i = 0; i < eui64s.size(); i++) {
            String text = eui64s.get(i) == null ? "" : RequestText.exact("eui64s[" + i + "]", eui64s.get(i));
            items.add(text.length() > 64 ? text.substring(0, 61) + "..." : text);
        }
        Long stationId = caller instanceof Caller.Station s ? s.stationId() : null;
        long id = batches.insert(stationId, principal, template, items,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    submit(id);
                }
            });
        } else {
            submit(id);
        }
        return id;
    }

    /** The batch, if the caller may see it (a station sees its own only); 404 otherwise. */
    BatchRepository.Batch visible(Caller caller, long id) {
        if (!(caller instanceof Caller.Station station)) {
            return batches.find(id).orElseThrow(() -> new NotFoundException("No batch " + id));
        }
        return batches.find(id).filter(b -> Long.valueOf(station.stationId()).equals(b.stationId()))
                .orElseThrow(() -> new NotFoundException("No batch " + id + " of station '" + station.name() + "'"));
    }

    List<BatchRepository.Item> items(long id) {
        return batches.items(id);
    }

    /** The signed manifest of a finished batch. */
    byte[] manifest(Caller caller, long id) {
        visible(caller, id);
        return batches.manifest(id).orElseThrow(() -> new BatchRunningException(id));
    }

    /** The bundle issued for item {@code index}, exactly the bytes whose digest the manifest lists. */
    byte[] bundle(Caller caller, long id, int index) {
        visible(caller, id);
        byte[] sealed = batches.sealedBundle(id, index).orElseThrow(() -> new NotFoundException("Batch " + id
                + " has no bundle for item " + index + ": only provisioned items have one"));
        try {
            return sealer.open(sealed, bundleContext(id, index));
        } catch (SealedSecretException e) {
            throw new IllegalStateException("stored batch bundle cannot be opened", e);
        }
    }

    /** Resumes batches left running, now and every {@link #SWEEP}: those no live instance holds a claim on. */
    @EventListener(ApplicationReadyEvent.class)
    void resumeRunning() {
        sweeper.scheduleWithFixedDelay(this::takeOverUnclaimed, 0, SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
        workers.shutdownNow();
    }

    private void takeOverUnclaimed() {
        try {
            for (long id : batches.running()) {
                if (!runningHere.contains(id) && claim(id)) {
                    log.info("Batch {} has no live claim (its instance stopped): running it here", id);
                    submit(id);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not look for batches to resume; trying again in {}", SWEEP, e);
        }
    }

    private boolean claim(long id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return batches.claim(id, worker, now, now.plus(LEASE));
    }

    private void submit(long id) {
        if (runningHere.add(id)) {
            workers.submit(() -> {
                try {
                    run(id);
                } catch (RuntimeException e) {
                    log.error("Batch {} stopped; it resumes once its claim runs out ({})", id, LEASE, e);
                } finally {
                    runningHere.remove(id);
                }
            });
        }
    }

    private void run(long id) {
        if (!claim(id)) {
            return; // finished, or another instance holds it
        }
        try {
            BatchRepository.Batch batch = batches.find(id).orElseThrow();
            Station station = batch.stationId() == null ? null : stations.find(batch.stationId()).orElseThrow();
            Authentication actor = station != null ? new StationPrincipal.Authentication(new StationPrincipal(station))
                    : UsernamePasswordAuthenticationToken.authenticated(batch.principal().replaceFirst("^user:", ""), null,
                            List.of());
            SecurityContextHolder.getContext().setAuthentication(actor);
            Caller caller = caller(batch, station);
            List<BatchRepository.Item> pending = batches.pendingItems(id);
            for (int from = 0; from < pending.size(); from += chunkSize) {
                if (Thread.currentThread().isInterrupted()) {
                    return; // shutting down: another instance, or the next start, resumes the batch
                }
                if (!claim(id)) {
                    log.info("Batch {} was taken over by another instance", id);
                    return;
                }
                chunks.provision(batch, caller, pending.subList(from, Math.min(pending.size(), from + chunkSize)));
            }
            transactions.executeWithoutResult(status -> {
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                byte[] manifest = manifests.sign(manifests.encode(batch, batches.items(id), now));
                if (batches.finish(id, manifest, now)) {
                    log.info("Batch {} finished", id);
                }
            });
        } catch (RuntimeException e) {
            log.error("Batch {} stopped; it resumes once its claim runs out ({})", id, LEASE, e);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** Who the batch runs as; only an administrator may start a batch (StationSecurityConfiguration). */
    private static Caller caller(BatchRepository.Batch batch, Station station) {
        return station != null ? new Caller.Station(station.id(), station.name())
                : new Caller.User(batch.principal().replaceFirst("^user:", ""), Role.ADMIN, Caller.Via.PASSWORD);
    }

    static String bundleContext(long batchId, int index) {
        return "batch-bundle:" + batchId + ":" + index;
    }

    private static String abbreviate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
