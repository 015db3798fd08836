package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.state.AcceptedSequences;
import dev.fleetkey.bundle.state.SequenceScope;
import dev.fleetkey.bundle.update.UpdateManifest;
import dev.fleetkey.bundle.update.UpdateManifestCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A device's state directory: the bundles it runs on, the firmware that came with them, and the
 * anti-rollback counters. Layout:
 * <pre>
 * DIR/device-identity       product line, hardware class, EUI-64 (written once, at installation)
 * DIR/accepted-sequences    last accepted sequences (AcceptedSequences); never goes down
 * DIR/current               the name of the state in use, e.g. "state-3"  (replaced by rename)
 * DIR/previous              the name of the state before it, kept for fallback
 * DIR/states/state-N/       device.bundle, fleet.bundle, firmware.bin, manifest.cms, state.properties
 * DIR/next/                 a state being written; removed when found at start (a crash left it)
 * DIR/config-etags          per server, the ETag of the last GET /config answer applied (cleared by any switch)
 * DIR/credentials/SERVER/   a certificate renewed on the device: active, and pending until its first handshake
 *                           (RenewedCredentials); used only while the device bundle it renews is current
 * </pre>
 * An update writes the whole new state into {@code next/}, forces it to disk, renames it into
 * {@code states/}, records the old state as {@code previous}, and then switches {@code current} by
 * renaming a new pointer file over it: the one commit point. Only after that are the sequences
 * advanced; a crash in between is repaired at the next start from the state's own record. A crash at
 * any point leaves {@code current} naming a complete state, the old or the new, never a mix.
 * One process owns a state directory at a time.
 */
public final class DeviceStateDirectory {

    static final String CURRENT = "current", PREVIOUS = "previous", NEXT = "next", STATES = "states";

    /** The points between the steps of an update, where tests simulate a crash. */
    enum Step { NEXT_WRITTEN, STATE_RENAMED, PREVIOUS_WRITTEN, SWITCHED }

    /** Called at each {@link Step}; throwing simulates a crash there. */
    interface Checkpoint {
        void reached(Step step) throws IOException;
    }

    private final Path directory;
    private final DeviceIdentity identity;
    private final BundleVerifier verifier;
    private final AcceptedSequences accepted;
    private final StateSlots slots;
    private final ConfigTags configTags;
    private final RenewedCredentials renewed;
    private final Checkpoint checkpoint;

    private DeviceStateDirectory(Path directory, DeviceIdentity identity, BundleVerifier verifier,
                                 AcceptedSequences accepted, Checkpoint checkpoint) {
        this.directory = directory;
        this.identity = identity;
        this.verifier = verifier;
        this.accepted = accepted;
        this.slots = new StateSlots(directory);
        this.configTags = new ConfigTags(directory);
        this.renewed = new RenewedCredentials(directory);
        this.checkpoint = checkpoint;
    }

    /**
     * Opens an installed state directory, clearing what an interrupted update left behind.
     *
     * @param verifier verifies the stored bundles and packages (the bundle-signer trust anchors)
     * @throws StateDirectoryException not installed, or damaged
     */
    public static DeviceStateDirectory open(Path directory, BundleVerifier verifier) throws StateDirectoryException {
        return open(directory, verifier, step -> { });
    }

    static DeviceStateDirectory open(Path directory, BundleVerifier verifier, Checkpoint checkpoint)
            throws StateDirectoryException {
        Objects.requireNonNull(verifier, "verifier");
        DeviceIdentity identity;
        try {
            identity = DeviceIdentity.decode(Files.readAllBytes(directory.resolve(DeviceIdentity.FILE_NAME)));
        } catch (NoSuchFileException e) {
            throw new StateDirectoryException("state directory " + directory + " is not installed: run"
                    + " 'fleetkey-device install --state-dir " + directory + " --bundle FILE --hardware-class HW"
                    + " --trust PEM' first");
        } catch (IOException | IllegalArgumentException e) {
            throw new StateDirectoryException(directory.resolve(DeviceIdentity.FILE_NAME) + " is damaged ("
                    + e.getMessage() + "): re-install the device", e);
        }
        try {
            DeviceStateDirectory state = new DeviceStateDirectory(directory, identity, verifier,
                    new AcceptedSequences(directory), checkpoint);
            state.recover();
            return state;
        } catch (IOException e) {
            throw new StateDirectoryException("state directory " + directory + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /**
     * First provisioning: verifies the device bundle (it names the product line as its template and
     * the device) and makes it the current state. The bundle's secrets must be in clear here (the
     * station opened the sealed envelope), or sessions will report the missing key.
     *
     * @throws BundleException the device bundle is refused
     * @throws StateDirectoryException the directory is already installed, or cannot be written
     */
    public static DeviceStateDirectory install(Path directory, byte[] deviceBundle, String hardwareClass,
                                               BundleVerifier verifier, Instant now)
            throws BundleException, StateDirectoryException {
        try {
            Files.createDirectories(directory);
            if (Files.exists(directory.resolve(DeviceIdentity.FILE_NAME))) {
                throw new StateDirectoryException("state directory " + directory + " is already installed (for "
                        + DeviceIdentity.decode(Files.readAllBytes(directory.resolve(DeviceIdentity.FILE_NAME))).device()
                        + "); new credentials arrive in update packages");
            }
            BundlePayload payload = verifier.verify(deviceBundle, new VerificationContext(BundleKind.DEVICE, null, -1,
                    now, VerificationContext.DEFAULT_CLOCK_SKEW)).payload();
            DeviceIdentity identity = new DeviceIdentity(payload.template().id(), hardwareClass, payload.device());
            AcceptedSequences accepted = new AcceptedSequences(directory);
            long last = accepted.last(SequenceScope.device(payload.device()));
            if (payload.sequence() <= last) {
                throw new RollbackException(payload.sequence(), last);
            }
            AtomicFiles.replace(directory.resolve(DeviceIdentity.FILE_NAME), identity.encode());
            DeviceStateDirectory state = new DeviceStateDirectory(directory, identity, verifier, accepted, step -> { });
            String slot = state.slots.write(new StateSlots.Contents(deviceBundle, null, null, null, null, -1,
                    payload.sequence(), null), step -> { });
            state.slots.point(CURRENT, slot);
            accepted.record(SequenceScope.device(payload.device()), payload.sequence());
            return state;
        } catch (IOException | IllegalArgumentException e) {
            throw new StateDirectoryException("cannot install state directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** What this device is. */
    public DeviceIdentity identity() {
        return identity;
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    /**
     * The state in use, its bundles verified again (signature, kind, device, validity).
     *
     * @throws BundleException a stored bundle no longer verifies (e.g. expired)
     */
    public InstalledState current(Instant now) throws StateDirectoryException, BundleException {
        return load(pointer(CURRENT).orElseThrow(() -> new StateDirectoryException(
                directory.resolve(CURRENT) + " is missing: the state directory is damaged; re-install")), now);
    }

    private Optional<String> pointer(String name) throws StateDirectoryException {
        try {
            return slots.pointer(name);
        } catch (IOException e) {
            throw new StateDirectoryException(e.getMessage(), e);
        }
    }

    /** The state before the current one, kept for fallback; empty after installation. */
    public Optional<InstalledState> previous(Instant now) throws StateDirectoryException, BundleException {
        Optional<String> slot = pointer(PREVIOUS);
        return slot.isPresent() ? Optional.of(load(slot.get(), now)) : Optional.empty();
    }

    /** The last accepted fleet sequence for this product line, -1 before the first update. */
    public long lastFleetSequence() throws StateDirectoryException {
        try {
            return accepted.last(SequenceScope.fleet(identity.productLine()));
        } catch (IOException e) {
            throw new StateDirectoryException(e.getMessage(), e);
        }
    }

    /**
     * Checks a package against this device and its current state without changing anything.
     *
     * @throws BundleException the first reason the package is refused
     */
    public UpdatePlan plan(byte[] packageFile, Instant now) throws BundleException, StateDirectoryException {
        try {
            return new UpdateChecks(verifier, identity, accepted).plan(packageFile, current(now), now);
        } catch (IOException e) {
            throw new StateDirectoryException("cannot read the anti-rollback state: " + e.getMessage(), e);
        }
    }

    /**
     * Checks bundles a server delivered on their own ({@code GET /config}) against this device and its current
     * state without changing anything, with the same checks as a package's bundles: signature and trust, kind,
     * device binding, sequence above the last accepted, validity, the rotation rules, and a sealed device
     * bundle opened with the device's current key. A fleet bundle identical to the one the current state holds
     * is not a rollback: the plan then changes nothing for it ({@link UpdatePlan#nothingToDo()} when no device
     * bundle comes with it). The firmware stays as it is.
     *
     * @param fleetBundle the signed fleet bundle
     * @param deviceBundle the signed device bundle for this device, or null when none is pending
     * @throws BundleException the first reason the bundles are refused
     */
    public UpdatePlan planBundles(byte[] fleetBundle, byte[] deviceBundle, Instant now)
            throws BundleException, StateDirectoryException {
        Objects.requireNonNull(fleetBundle, "fleetBundle");
        InstalledState current = current(now);
        try {
            return new UpdateChecks(verifier, identity, accepted).planBundles(fleetBundle, deviceBundle, current,
                    slots.readOptional(current.slot(), StateSlots.FLEET_BUNDLE), now);
        } catch (IOException e) {
            throw new StateDirectoryException("cannot read the anti-rollback state: " + e.getMessage(), e);
        }
    }

    /** The ETag of the last {@code GET /config} answer from {@code server} that was applied; empty if none. */
    public Optional<byte[]> configTag(String server) throws StateDirectoryException {
        try {
            return configTags.get(server);
        } catch (IOException e) {
            throw new StateDirectoryException(e.getMessage(), e);
        }
    }

    /** Remembers the ETag of a {@code GET /config} answer from {@code server}, once it has been applied. */
    public void rememberConfigTag(String server, byte[] etag) throws StateDirectoryException {
        try {
            configTags.put(server, etag);
        } catch (IOException e) {
            throw new StateDirectoryException("cannot write " + directory.resolve(ConfigTags.FILE_NAME) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Applies a plan atomically (see the class comment) and advances the sequences.
     *
     * @return the new current state
     * @throws StateDirectoryException the state changed since the plan was made, or a write failed (the
     *     current state is then unchanged)
     */
    public InstalledState apply(UpdatePlan plan, Instant now) throws StateDirectoryException, BundleException {
        InstalledState from = current(now);
        if (!from.slot().equals(plan.from().slot())) {
            throw new StateDirectoryException("the state changed since this update was checked; check it again");
        }
        if (plan.nothingToDo()) {
            return from;
        }
        try {
            byte[] device = plan.deviceBundleBytes().isPresent() ? plan.deviceBundleBytes().get()
                    : slots.read(from.slot(), StateSlots.DEVICE_BUNDLE);
            byte[] deviceKey = plan.deviceBundleBytes().isPresent() ? plan.deviceKey().orElse(null)
                    : slots.readOptional(from.slot(), StateSlots.DEVICE_KEY).orElse(null);
            long deviceSequence = plan.deviceBundle().map(BundlePayload::sequence)
                    .orElse(from.deviceBundle().sequence());
            // bundles delivered without a package keep the firmware (and its manifest) the state already runs
            byte[] image = plan.verified().isPresent() ? plan.verified().get().image()
                    : slots.readOptional(from.slot(), StateSlots.FIRMWARE).orElse(null);
            UpdateManifest manifest = plan.verified().isPresent() ? plan.verified().get().manifest()
                    : heldManifest(from.slot());
            String firmwareVersion = plan.verified().isPresent() ? manifest.firmwareVersion()
                    : from.firmwareVersion().orElse(null);
            String slot = slots.write(new StateSlots.Contents(device, deviceKey, plan.fleetBundleBytes(), image,
                    manifest, plan.fleetBundle().sequence(), deviceSequence, firmwareVersion), checkpoint);
            checkpoint.reached(Step.STATE_RENAMED);
            slots.point(PREVIOUS, from.slot());
            checkpoint.reached(Step.PREVIOUS_WRITTEN);
            slots.point(CURRENT, slot); // the commit point
            checkpoint.reached(Step.SWITCHED);
            advanceSequences(plan.fleetBundle().sequence(), deviceSequence);
            configTags.forget(); // what a server's /config answer named no longer describes this state
            slots.pruneExcept(slot, from.slot());
        } catch (IOException e) {
            throw new StateDirectoryException("update not applied, the device stays on its current state: "
                    + e.getMessage(), e);
        }
        return current(now);
    }

    /**
     * Falls back to the previous state (e.g. when the new firmware does not come up): swaps the pointers, so
     * the state fallen back from stays as {@code previous}. The anti-rollback counters stay where they are:
     * the packages already applied are not accepted again, the newer state is reached by falling back again.
     *
     * @return the state now current
     * @throws StateDirectoryException there is no previous state
     * @throws BundleException the previous state's bundles no longer verify (e.g. expired): it is not used
     */
    public InstalledState fallBack(Instant now) throws StateDirectoryException, BundleException {
        InstalledState from = current(now);
        InstalledState to = previous(now).filter(p -> !p.slot().equals(from.slot()))
                .orElseThrow(() -> new StateDirectoryException("there is no previous state to fall back to"));
        try {
            slots.point(PREVIOUS, from.slot());
            slots.point(CURRENT, to.slot());
            configTags.forget();
        } catch (IOException e) {
            throw new StateDirectoryException("fallback not done, the device stays on " + from.slot() + ": "
                    + e.getMessage(), e);
        }
        return current(now);
    }

    private void advanceSequences(long fleetSequence, long deviceSequence) throws IOException {
        SequenceScope fleet = SequenceScope.fleet(identity.productLine());
        SequenceScope device = SequenceScope.device(identity.device());
        try {
            if (fleetSequence > accepted.last(fleet)) {
                accepted.record(fleet, fleetSequence);
            }
            if (deviceSequence > accepted.last(device)) {
                accepted.record(device, deviceSequence);
            }
        } catch (RollbackException e) {
            throw new IllegalStateException("checked just above", e);
        }
    }

    /**
     * The certificate renewed on the device for {@code server} that has completed a handshake; empty when there is
     * none, or when it renews another device bundle than {@code current}'s (a newer bundle's credential wins).
     */
    public Optional<RenewedCredential> renewedCredential(String server, InstalledState current)
            throws StateDirectoryException {
        return renewed(server, RenewedCredentials.ACTIVE, current);
    }

    /** A renewed certificate for {@code server} received but not yet confirmed by a handshake, as above. */
    public Optional<RenewedCredential> pendingCredential(String server, InstalledState current)
            throws StateDirectoryException {
        return renewed(server, RenewedCredentials.PENDING, current);
    }

    /** Writes a renewed certificate as pending (durably); the active credential stays in use. */
    public void stagePendingCredential(String server, RenewedCredential credential) throws StateDirectoryException {
        try {
            renewed.write(server, RenewedCredentials.PENDING, credential);
        } catch (IOException e) {
            throw new StateDirectoryException("cannot write the renewed credential for server '" + server + "' in "
                    + directory + ": " + e.getMessage(), e);
        }
    }

    /** Makes the pending credential of {@code server} the active one, in one atomic rename. */
    public void confirmPendingCredential(String server) throws StateDirectoryException {
        try {
            renewed.promote(server);
        } catch (IOException e) {
            throw new StateDirectoryException("cannot switch server '" + server + "' to its renewed credential: "
                    + e.getMessage(), e);
        }
    }

    /** Forgets the pending credential of {@code server} (it was refused); the active one stays. */
    public void discardPendingCredential(String server) throws StateDirectoryException {
        try {
            renewed.delete(server, RenewedCredentials.PENDING);
        } catch (IOException e) {
            throw new StateDirectoryException(e.getMessage(), e);
        }
    }

    private Optional<RenewedCredential> renewed(String server, String which, InstalledState current)
            throws StateDirectoryException {
        try {
            return renewed.read(server, which)
                    .filter(c -> c.deviceBundleId().equals(current.deviceBundle().bundleIdHex()));
        } catch (IOException e) {
            throw new StateDirectoryException(e.getMessage(), e);
        }
    }

    /** Removes an interrupted update's leftovers and catches the counters up with a committed state. */
    private void recover() throws IOException {
        slots.clearNext();
        renewed.clearTemporaries();
        Optional<String> current = slots.pointer(CURRENT);
        if (current.isEmpty()) {
            return;
        }
        StateSlots.Record record = slots.record(current.get());
        advanceSequences(record.fleetSequence(), record.deviceSequence());
        slots.pruneExcept(current.get(), slots.pointer(PREVIOUS).orElse(current.get()));
    }

    private UpdateManifest heldManifest(String slot) throws IOException, BundleException {
        Optional<byte[]> bytes = slots.readOptional(slot, StateSlots.MANIFEST);
        return bytes.isPresent() ? UpdateManifestCodec.decode(bytes.get()) : null;
    }

    private InstalledState load(String slot, Instant now) throws StateDirectoryException, BundleException {
        try {
            BundlePayload device = verifier.verify(slots.read(slot, StateSlots.DEVICE_BUNDLE),
                    new VerificationContext(BundleKind.DEVICE, identity.device(), -1, now,
                            VerificationContext.DEFAULT_CLOCK_SKEW)).payload();
            if (device.hasSealedSecrets()) {
                byte[] key = slots.readOptional(slot, StateSlots.DEVICE_KEY).orElseThrow(() -> new StateDirectoryException(
                        "state " + slot + " holds a sealed device bundle but not the key that opens it; re-install"));
                device = BundleSecrets.open(device, DeviceKeys.privateKey(key));
            }
            Optional<byte[]> fleetBytes = slots.readOptional(slot, StateSlots.FLEET_BUNDLE);
            Optional<BundlePayload> fleet = Optional.empty();
            if (fleetBytes.isPresent()) {
                fleet = Optional.of(verifier.verify(fleetBytes.get(), new VerificationContext(BundleKind.FLEET, null, -1,
                        now, VerificationContext.DEFAULT_CLOCK_SKEW)).payload());
            }
            return new InstalledState(identity, slot, device, fleet, Optional.ofNullable(slots.record(slot).firmwareVersion()));
        } catch (IOException e) {
            throw new StateDirectoryException("state " + slot + " in " + directory + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

}
