package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.update.FleetChanges;
import dev.fleetkey.bundle.update.VerifiedPackage;
import java.util.Optional;

/**
 * A package that passed every check against the current state, and what applying it would change.
 * {@link DeviceStateDirectory#apply(UpdatePlan)} applies it; a dry run just prints it.
 *
 * @param verified the verified package
 * @param fleetBundle the verified fleet bundle inside it
 * @param deviceBundle the verified device bundle for this device inside it, if any, its sealed secrets opened
 * @param deviceKey PKCS#8 of the device's current key that opened them, kept beside the sealed bundle
 * @param from the state it was checked against
 * @param changes servers, anchors and pins added and removed
 */
public record UpdatePlan(VerifiedPackage verified, BundlePayload fleetBundle, Optional<BundlePayload> deviceBundle,
                         Optional<byte[]> deviceKey, InstalledState from, FleetChanges changes) {

    @Override
    public String toString() {
        return "UpdatePlan[" + verified.manifest().productLine() + " " + verified.manifest().firmwareVersion()
                + " seq " + verified.manifest().sequence() + ", device bundle " + deviceBundle.isPresent()
                + ", key (redacted)]";
    }
}
