package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.MalformedBundleException;
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
        Optional<BundlePayload> device = Optional.empty();
        Optional<byte[]> deviceKey = Optional.empty();
        Optional<byte[]> deviceBytes = verified.deviceBundle(identity.device().canonical());
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
        BundlePayload nextDevice = device.orElse(current.deviceBundle());
        FleetRotation.check(current.fleetBundle().orElse(null), fleet, nextDevice, now);
        FleetChanges changes = FleetChanges.between(current.fleetBundle().orElse(null), current.deviceBundle(), fleet);
        return new UpdatePlan(verified, fleet, device, deviceKey, current, changes);
    }
}
