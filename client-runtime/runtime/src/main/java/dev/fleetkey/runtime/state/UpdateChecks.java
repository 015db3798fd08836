package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.MalformedBundleException;
import dev.fleetkey.bundle.SecretsDecryptionException;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.WrongProductLineException;
import dev.fleetkey.bundle.state.AcceptedSequences;
import dev.fleetkey.bundle.state.SequenceScope;
import dev.fleetkey.bundle.update.FleetChanges;
import dev.fleetkey.bundle.update.FleetRotation;
import dev.fleetkey.bundle.update.UpdateExpectations;
import dev.fleetkey.bundle.update.UpdatePackageVerifier;
import dev.fleetkey.bundle.update.VerifiedPackage;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * Everything checked before an update touches the disk: the package (signature, product line, hardware
 * class, validity, sequence, component digests), the fleet bundle inside (as a bundle, same product line,
 * same sequence as the manifest), the device bundle for this device if there is one, and the rotation
 * rules against the current state.
 */
final class UpdateChecks {

    private final BundleVerifier verifier;
    private final DeviceIdentity identity;
    private final AcceptedSequences accepted;

    UpdateChecks(BundleVerifier verifier, DeviceIdentity identity, AcceptedSequences accepted) {
        this.verifier = verifier;
        this.identity = identity;
        this.accepted = accepted;
    }

    UpdatePlan plan(byte[] packageFile, InstalledState current, Instant now) throws BundleException, IOException {
        long lastFleet = accepted.last(SequenceScope.fleet(identity.productLine()));
        VerifiedPackage verified = new UpdatePackageVerifier(verifier).verify(packageFile, new UpdateExpectations(
                identity.productLine(), identity.hardwareClass(), lastFleet, now, VerificationContext.DEFAULT_CLOCK_SKEW));
        BundlePayload fleet = verifier.verify(verified.fleetBundle(), new VerificationContext(BundleKind.FLEET, null,
                lastFleet, now, VerificationContext.DEFAULT_CLOCK_SKEW)).payload();
        if (!fleet.template().id().equals(identity.productLine())) {
            throw new WrongProductLineException(identity.productLine(), fleet.template().id());
        }
        if (fleet.sequence() != verified.manifest().sequence()) {
            throw new MalformedBundleException("the package's fleet bundle has sequence " + fleet.sequence()
                    + ", its manifest " + verified.manifest().sequence() + ": they must be equal");
        }
        return checkAgainst(current, Optional.of(verified), verified.fleetBundle(), fleet, true,
                verified.deviceBundle(identity.device().canonical()), now);
    }

    /**
     * Checks bundles delivered on their own (GET /config): the fleet bundle as a bundle of this product line
     * (unless it is byte for byte the one the current state holds: nothing to do for it), the device bundle
     * if any, and the rotation rules, exactly as for a package.
     */
    UpdatePlan planBundles(byte[] fleetBytes, byte[] deviceBytes, InstalledState current, Optional<byte[]> heldFleet,
                           Instant now) throws BundleException, IOException {
        boolean held = heldFleet.isPresent() && Arrays.equals(heldFleet.get(), fleetBytes);
        BundlePayload fleet;
        if (held) {
            fleet = current.fleetBundle().orElseThrow();
        } else {
            long lastFleet = accepted.last(SequenceScope.fleet(identity.productLine()));
            fleet = verifier.verify(fleetBytes, new VerificationContext(BundleKind.FLEET, null, lastFleet, now,
                    VerificationContext.DEFAULT_CLOCK_SKEW)).payload();
            if (!fleet.template().id().equals(identity.productLine())) {
                throw new WrongProductLineException(identity.productLine(), fleet.template().id());
            }
        }
        return checkAgainst(current, Optional.empty(), fleetBytes, fleet, !held, Optional.ofNullable(deviceBytes), now);
    }

    /**
     * A new device bundle must carry the secret of every server the device holds one for now: without it the
     * device could no longer connect there (e.g. a service that deleted a made key after an earlier download
     * sends the bundle with the key withheld).
     */
    private static void requireSecretsKept(BundlePayload current, BundlePayload next) throws SecretsDecryptionException {
        for (ServerEntry server : next.servers()) {
            boolean heldNow = current.server(server.name()).map(s -> s.credentials().hasSecret()).orElse(false);
            if (heldNow && !server.credentials().hasSecret()) {
                throw new SecretsDecryptionException("the new device bundle carries no "
                        + (server.credentials() instanceof ServerCredentials.Psk ? "PSK" : "private key") + " for server '"
                        + server.name() + "' (withheld by its issuer?): the device keeps its current credentials;"
                        + " have a new device bundle issued with the secret");
            }
        }
    }

    private UpdatePlan checkAgainst(InstalledState current, Optional<VerifiedPackage> verified, byte[] fleetBytes,
                                    BundlePayload fleet, boolean fleetChanged, Optional<byte[]> deviceBytes, Instant now)
            throws BundleException, IOException {
        Optional<BundlePayload> device = Optional.empty();
        Optional<byte[]> deviceKey = Optional.empty();
        if (deviceBytes.isPresent()) {
            long lastDevice = accepted.last(SequenceScope.device(identity.device()));
            device = Optional.of(verifier.verify(deviceBytes.get(), new VerificationContext(BundleKind.DEVICE,
                    identity.device(), lastDevice, now, VerificationContext.DEFAULT_CLOCK_SKEW)).payload());
            if (device.get().hasSealedSecrets()) {
                // new credentials are sealed to the key the device holds now; opening them proves they are ours
                deviceKey = Optional.of(DeviceKeys.current(current.deviceBundle()));
                device = Optional.of(BundleSecrets.open(device.get(), DeviceKeys.privateKey(deviceKey.get())));
            }
        }
        if (device.isPresent()) {
            requireSecretsKept(current.deviceBundle(), device.get());
        }
        BundlePayload nextDevice = device.orElse(current.deviceBundle());
        FleetRotation.check(current.fleetBundle().orElse(null), fleet, nextDevice, now);
        FleetChanges changes = FleetChanges.between(current.fleetBundle().orElse(null), current.deviceBundle(), fleet);
        return new UpdatePlan(verified, fleetBytes, fleet, fleetChanged, device.isPresent() ? deviceBytes : Optional.empty(),
                device, deviceKey, current, changes);
    }
}
