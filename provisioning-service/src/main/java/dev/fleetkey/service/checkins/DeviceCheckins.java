package dev.fleetkey.service.checkins;

import com.upokecenter.cbor.CBORObject;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.bundles.BundleIssuer;
import dev.fleetkey.service.bundles.BundleLedger;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceCredential;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.endpoint.CheckinReport;
import dev.fleetkey.service.endpoint.DeviceRequestRefused;
import dev.fleetkey.service.endpoint.DeviceRequests;
import dev.fleetkey.service.endpoint.DeviceSession;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The service side of {@code POST /checkin} and {@code GET /config}. Every lookup starts from the device the
 * DTLS session authenticated, so one device can never read or write another's data.
 *
 * <p>Check-ins are written in groups ({@link GroupCommit}): each waits for its group's commit before it is
 * answered, and a group costs one commit however many devices it holds.
 *
 * <p>A device bundle is pending when the device's current credentials are newer than the device bundle it
 * last reported holding (a rotation). It is sealed to the key the device authenticated this session with
 * (raw public key or certificate: the key it holds now); a PSK device has no such key and gets its bundle in
 * clear only when its template allows clear secrets, otherwise none.
 */
@Service
class DeviceCheckins implements DeviceRequests {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCheckins.class);
    /** Check-ins written per commit at most; past a few hundred a group only waits longer for its commit. */
    private static final int MAX_GROUP = 512;
    /** Check-ins waiting for a commit at most; more are answered 5.03 at once (about a second of load). */
    private static final int MAX_WAITING = 20_000;
    /** {@code fleetkey_checkin_group_size}: check-ins per group commit (count = commits, sum = check-ins). */
    static final String GROUP_SIZE_METRIC = "fleetkey.checkin.group.size";

    private final DeviceRepository devices;
    private final CheckinRepository checkins;
    private final TemplateCatalog templates;
    private final EndpointFleetBundles fleetBundles;
    private final BundleIssuer bundles;
    private final BundleLedger ledger;
    private final TransactionTemplate transactions;
    private final GroupCommit<Arrival> groupCommit;
    private final DistributionSummary groupSizes;
    private final Clock clock = Clock.systemUTC();

    DeviceCheckins(DeviceRepository devices, CheckinRepository checkins, TemplateCatalog templates,
                   EndpointFleetBundles fleetBundles, BundleIssuer bundles, BundleLedger ledger,
                   PlatformTransactionManager transactions, MeterRegistry metrics) {
        this.devices = devices;
        this.checkins = checkins;
        this.templates = templates;
        this.fleetBundles = fleetBundles;
        this.bundles = bundles;
        this.ledger = ledger;
        this.transactions = new TransactionTemplate(transactions);
        this.groupSizes = DistributionSummary.builder(GROUP_SIZE_METRIC)
                .description("Check-ins written per commit (one transaction each)").register(metrics);
        this.groupCommit = new GroupCommit<>("checkin-group-commit", MAX_GROUP, MAX_WAITING, this::writeAndCommit);
    }

    /**
     * Completes once the check-in is committed, together with the others that arrived meanwhile. The device is
     * looked up here, on the endpoint's thread, so the one thread that writes groups only inserts and commits; a
     * revocation committed before this look-up refuses the check-in.
     */
    @Override
    public CompletableFuture<Void> checkIn(DeviceSession session, CheckinReport report) {
        Device device;
        try {
            device = activeDevice(session.device());
        } catch (DeviceRequestRefused e) {
            return CompletableFuture.failedFuture(e);
        }
        Long deviceSequence = boxed(report.deviceSequence());
        return groupCommit.submit(new Arrival(device, new Checkin(device.eui64(), clock.instant(), session.mode().name(),
                session.cipherSuite(), session.remoteAddress(), report.firmwareVersion(), deviceSequence,
                boxed(report.fleetSequence()))));
    }

    /** A check-in of an active device as it arrived, waiting for its group's commit. */
    private record Arrival(Device device, Checkin checkin) {
    }

    /** One transaction, one JDBC batch and one commit for a group of check-ins. */
    private void writeAndCommit(List<Arrival> arrivals) {
        groupSizes.record(arrivals.size());
        LOG.debug("Writing a group of {} check-ins", arrivals.size());
        transactions.executeWithoutResult(status -> {
            for (Arrival arrival : arrivals) {
                if (installedWhileKeyHeld(arrival.device(), arrival.checkin().deviceSequence())) {
                    // the device has installed what /config gave it: keys the template does not retain can go now
                    bundles.discardPrivateKeysOf(arrival.device());
                }
            }
            checkins.insertAll(arrivals.stream().map(a -> Map.entry(a.device().id(), a.checkin())).toList());
        });
    }

    @PreDestroy
    void stopWriting() {
        groupCommit.close();
    }

    /**
     * Whether the service still holds a private key of the device's current credentials and the device
     * bundle {@code sequence} was issued after the newest of them. Checked from the rows alone, so a
     * routine check-in opens no sealed secret.
     */
    private boolean installedWhileKeyHeld(Device device, Long sequence) {
        if (sequence == null) {
            return false;
        }
        List<DeviceCredential> current = devices.currentCredentials(device.id());
        if (current.stream().noneMatch(c -> c.mode() != CredentialMode.PSK && c.sealedKey() != null)) {
            return false;
        }
        Instant newestCredential = current.stream().map(DeviceCredential::createdAt).max(Instant::compareTo).get()
                .truncatedTo(ChronoUnit.SECONDS);
        return ledger.deviceBundleIssuedAt(device.id(), sequence).map(at -> !at.isBefore(newestCredential))
                .orElse(false);
    }

    /**
     * Not one transaction on purpose: the fleet bundle and the device bundle are each issued in their own, so
     * a device bundle that cannot be made (rolled back) still leaves the fleet bundle to deliver.
     */
    @Override
    public ConfigReply config(DeviceSession session, List<byte[]> knownEtags) {
        Device device = activeDevice(session.device());
        DeviceTemplate template = templates.find(device.templateReference()).orElseThrow(() -> new DeviceRequestRefused(
                "the template " + device.templateReference() + " of this device is no longer loaded"));
        EndpointFleetBundles.Stored fleet = fleetBundles.newest(template, clock.instant());
        Optional<Long> pendingGeneration = pendingGeneration(device, session);
        byte[] etag = etag(fleet.sequence(), pendingGeneration);
        if (knownEtags.stream().anyMatch(known -> Arrays.equals(known, etag))) {
            return new ConfigReply(etag, null);
        }
        CBORObject map = CBORObject.NewOrderedMap();
        map.Add("fleet", fleet.signed());
        if (pendingGeneration.isPresent()) {
            deviceBundle(session).ifPresent(signed -> map.Add("device", signed));
        }
        return new ConfigReply(etag, map.EncodeToBytes());
    }

    /**
     * The newest current credential's id when a device bundle is pending; empty when nothing is pending, or
     * when a PSK device could not be sent its bundle. Pending: the session authenticated with a credential
     * that is no longer current (rotated out, still inside its overlap), or the device reported a device
     * bundle issued before its current credentials were made. Bundle times have whole seconds, so the second
     * test only sees a rotation a second or more after that bundle; the first one sees any.
     */
    private Optional<Long> pendingGeneration(Device device, DeviceSession session) {
        List<DeviceCredential> current = devices.currentCredentials(device.id());
        if (current.isEmpty()) {
            return Optional.empty();
        }
        boolean sessionCredentialCurrent = current.stream()
                .anyMatch(c -> session.authenticatedWith(c.pskIdentity(), c.publicKey()));
        Instant newestCredential = current.stream().map(DeviceCredential::createdAt).max(Instant::compareTo).get()
                .truncatedTo(ChronoUnit.SECONDS);
        Optional<Instant> held = checkins.latestOf(device.id(), 1).stream().findFirst()
                .map(Checkin::deviceSequence)
                .flatMap(seq -> ledger.deviceBundleIssuedAt(device.id(), seq));
        boolean pending = !sessionCredentialCurrent || held.map(at -> at.isBefore(newestCredential)).orElse(false);
        if (!pending || (session.sealingKey().isEmpty() && !clearSecretsAllowed(device))) {
            return Optional.empty();
        }
        return Optional.of(current.stream().mapToLong(DeviceCredential::id).max().getAsLong());
    }

    private Optional<byte[]> deviceBundle(DeviceSession session) {
        try {
            return Optional.of(bundles.issueDeviceBundle(session.device(), session.sealingKey().orElse(null), false)
                    .signed());
        } catch (FleetkeyException e) {
            // e.g. a credential missing for a server: the fleet part is still worth delivering
            LOG.warn("No device bundle for {} over the endpoint: {}", session.device(), e.getMessage());
            return Optional.empty();
        }
    }

    private boolean clearSecretsAllowed(Device device) {
        return templates.find(device.templateReference()).map(t -> t.bundle().allowUnencryptedSecrets()).orElse(false);
    }

    private Device activeDevice(Eui64 eui64) {
        Device device = devices.findByEui64(eui64)
                .orElseThrow(() -> new DeviceRequestRefused("device " + eui64.canonical() + " is not provisioned"));
        if (device.state() == Device.State.REVOKED) {
            throw new DeviceRequestRefused("device " + eui64.canonical() + " is revoked");
        }
        return device;
    }

    /** 8 bytes of SHA-256 over what is served: the fleet sequence and the pending credential generation. */
    static byte[] etag(long fleetSequence, Optional<Long> pendingGeneration) {
        String served = "fleet:" + fleetSequence + ";device:" + pendingGeneration.map(String::valueOf).orElse("-");
        return Arrays.copyOf(Sha256.digest(served), 8);
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
