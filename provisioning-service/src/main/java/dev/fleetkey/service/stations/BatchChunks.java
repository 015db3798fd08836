package dev.fleetkey.service.stations;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.bundles.BundleIssuer;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceProvisioning;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.pki.SecretSealer;
import dev.fleetkey.service.stations.BatchRepository.Item;
import dev.fleetkey.service.stations.BatchRepository.ItemResult;
import dev.fleetkey.service.system.ChunkWrites;
import dev.fleetkey.service.system.FleetkeyException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Provisions one chunk of a batch's items in one transaction with one durable commit. Each item runs under a
 * savepoint: a bad one is rolled back alone (its audit entries with it) and fails with its reason while its
 * neighbours stay. The chunk's audit entries are chained in memory and written with one move of the chain
 * head, and the items' results with one JDBC batch, all in the chunk's commit: an item is reported done only
 * once it is on disk, and a crash before the commit leaves the whole chunk pending, to be provisioned again.
 */
@Component
class BatchChunks {

    private static final Logger log = LoggerFactory.getLogger(BatchChunks.class);

    private final BatchRepository batches;
    private final StationRepository stations;
    private final DeviceProvisioning provisioning;
    private final DeviceRepository devices;
    private final StationBundleSource bundles;
    private final SecretSealer sealer;
    private final AuditTrail audit;
    private final TransactionTemplate chunk;
    private final TransactionTemplate savepoint;

    BatchChunks(BatchRepository batches, StationRepository stations, DeviceProvisioning provisioning,
            DeviceRepository devices, StationBundleSource bundles, SecretSealer sealer, AuditTrail audit,
            PlatformTransactionManager transactions) {
        this.batches = batches;
        this.stations = stations;
        this.provisioning = provisioning;
        this.devices = devices;
        this.bundles = bundles;
        this.sealer = sealer;
        this.audit = audit;
        this.chunk = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** Provisions {@code items} of {@code batch} as {@code caller} and records every item's result; commits once. */
    void provision(BatchRepository.Batch batch, Caller caller, List<Item> items) {
        chunk.executeWithoutResult(status -> {
            List<ItemResult> results = new ArrayList<>(items.size());
            // the station read once per chunk: one disabled, or no longer allowed the template, while its batch
            // runs stops within one chunk
            Station station = caller instanceof Caller.Station s ? stations.find(s.stationId()).orElse(null) : null;
            String templateId = batch.template().trim().split("@", 2)[0];
            if (caller instanceof Caller.Station && (station == null || !station.enabled())) {
                items.forEach(i -> results.add(ItemResult.failed(i.index(), "The station was disabled while the batch ran")));
            } else if (station != null && !station.allows(templateId)) {
                String reason = new TemplateNotAllowedException(station, templateId).getMessage();
                items.forEach(i -> results.add(ItemResult.failed(i.index(), reason)));
            } else {
                byte[] sealingKey = station == null ? null : station.transportKeySpki().orElse(null);
                Map<Integer, Eui64> parsed = parsed(items);
                Map<Eui64, Device> existing = new HashMap<>(devices.findByEui64s(parsed.values()));
                // devices new and distinct in this chunk are provisioned together; the rest (existing devices, an
                // EUI-64 repeated in the chunk, bad ones), and all of them if together fails, one by one
                List<Item> fresh = new ArrayList<>();
                Set<Eui64> seen = new HashSet<>();
                for (Item item : items) {
                    Eui64 eui64 = parsed.get(item.index());
                    if (eui64 != null && !existing.containsKey(eui64) && seen.add(eui64)) {
                        fresh.add(item);
                    }
                }
                Map<Integer, ItemResult> together = provisionTogether(batch, caller, sealingKey, fresh, parsed, existing);
                for (Item item : items) {
                    ItemResult done = together.get(item.index());
                    results.add(done != null ? done : provisionItem(batch, caller, sealingKey, existing, item));
                }
            }
            if (!batches.writeResults(batch.id(), results)) {
                // another instance took the batch over (its claim ran out) and finished some of these items
                log.info("Batch {}: items of this chunk were finished by another instance; its answers stand", batch.id());
                status.setRollbackOnly();
            }
        });
    }

    /** The items' EUI-64s that parse, by item index; the others fail when provisioned, with the reason. */
    private static Map<Integer, Eui64> parsed(List<Item> items) {
        Map<Integer, Eui64> parsed = new HashMap<>();
        for (Item item : items) {
            try {
                parsed.put(item.index(), DeviceProvisioning.parseEui64(item.eui64(), "eui64"));
            } catch (FleetkeyException e) {
                // reported by the item itself
            }
        }
        return parsed;
    }

    /**
     * Provisions the chunk's new, distinct devices together under one savepoint: the devices inserted in one JDBC
     * batch, their credentials, PSK identities, public keys, station ownership, bundle sequences and bundle records
     * collected ({@link ChunkWrites}) and written in one JDBC batch per table, uniqueness checked in memory for the
     * chunk and by the unique indexes at the insert. If anything fails (an EUI-64 or identity another request took
     * meanwhile, an item the rules refuse), all of it is rolled back to the savepoint and answered empty: the caller
     * then provisions these items one by one, so one bad item never fails its neighbours.
     *
     * @return the results by item index, all of {@code fresh} or none
     */
    private Map<Integer, ItemResult> provisionTogether(BatchRepository.Batch batch, Caller caller, byte[] sealingKey,
            List<Item> fresh, Map<Integer, Eui64> parsed, Map<Eui64, Device> existing) {
        if (fresh.isEmpty()) {
            return Map.of();
        }
        int auditMark = audit.pendingMark();
        ChunkWrites writes = ChunkWrites.open();
        try {
            Together together = savepoint.execute(status -> {
                List<Device> made = provisioning.provisionNew(caller,
                        fresh.stream().map(i -> parsed.get(i.index())).toList(), batch.template());
                writes.flush(); // identities, public keys, credentials, station ownership: the bundles read them
                List<BundleIssuer.IssuedBundle> issued = bundles.issueAll(made, sealingKey);
                writes.flush(); // bundle sequences and records, private keys discarded after delivery
                Map<Integer, ItemResult> results = new HashMap<>();
                for (int n = 0; n < fresh.size(); n++) {
                    int index = fresh.get(n).index();
                    byte[] signed = issued.get(n).signed();
                    results.put(index, ItemResult.provisioned(index, made.get(n).eui64().canonical(),
                            Sha256.digest(signed), sealer.seal(signed, Batches.bundleContext(batch.id(), index))));
                }
                return new Together(made, results);
            });
            together.made().forEach(device -> existing.put(device.eui64(), device));
            provisioning.countCreated(caller, batch.template(), fresh.size());
            return together.results();
        } catch (RuntimeException e) {
            audit.forgetSince(auditMark);
            // the exception's text may quote a key value: the items' own attempts report what is wrong with them
            log.info("Batch {}: {} new devices of a chunk could not be written together ({}); provisioning them one by"
                    + " one", batch.id(), fresh.size(), e.getClass().getSimpleName());
            return Map.of();
        } finally {
            writes.close();
        }
    }

    private record Together(List<Device> made, Map<Integer, ItemResult> results) {
    }

    private ItemResult provisionItem(BatchRepository.Batch batch, Caller caller, byte[] sealingKey,
            Map<Eui64, Device> existing, Item item) {
        int auditMark = audit.pendingMark();
        try {
            return savepoint.execute(status -> {
                Eui64 eui64 = DeviceProvisioning.parseEui64(item.eui64(), "eui64");
                DeviceProvisioning.Outcome outcome = provisioning.provisionChecked(caller, eui64,
                        Optional.ofNullable(existing.get(eui64)), batch.template());
                BundleIssuer.IssuedBundle bundle = bundles.issue(outcome.device(), sealingKey);
                ItemResult done = ItemResult.provisioned(item.index(), outcome.device().eui64().canonical(),
                        Sha256.digest(bundle.signed()),
                        sealer.seal(bundle.signed(), Batches.bundleContext(batch.id(), item.index())));
                // the same EUI-64 later in the chunk finds the device this item made
                existing.put(eui64, outcome.device());
                return done;
            });
        } catch (FleetkeyException e) {
            audit.forgetSince(auditMark);
            return ItemResult.failed(item.index(), e.getMessage());
        } catch (DataIntegrityViolationException e) {
            audit.forgetSince(auditMark);
            return ItemResult.failed(item.index(), "Conflicts with a device provisioned at the same time (same EUI-64 or"
                    + " identity); it keeps that identity");
        } catch (RuntimeException e) {
            audit.forgetSince(auditMark);
            String reference = UUID.randomUUID().toString();
            log.error("Batch {} item {} failed, reference {}", batch.id(), item.index(), reference, e);
            return ItemResult.failed(item.index(), "The service failed on this item; nothing of it was kept. Reference "
                    + reference);
        }
    }
}
