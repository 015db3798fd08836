package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.update.FleetChanges;
import dev.fleetkey.bundle.update.VerifiedPackage;
import java.util.Optional;

/**
 * An update that passed every check against the current state, and what applying it would change: a
 * package, or bundles delivered on their own by a server's {@code GET /config}.
 * {@link DeviceStateDirectory#apply(UpdatePlan, java.time.Instant)} applies it; a dry run just prints it.
 *
 * @param verified the verified package; empty for bundles delivered without firmware (the firmware stays)
 * @param fleetBundleBytes the signed fleet bundle, as stored
 * @param fleetBundle the verified fleet bundle
 * @param fleetChanged false when the fleet bundle is the one the current state already holds
 * @param deviceBundleBytes the signed device bundle for this device, if any
 * @param deviceBundle the verified device bundle for this device, if any, its sealed secrets opened
 * @param deviceKey PKCS#8 of the device's current key that opened them, kept beside the sealed bundle
 * @param from the state it was checked against
 * @param changes servers, anchors and pins added and removed
 */
public record UpdatePlan(Optional<VerifiedPackage> verified, byte[] fleetBundleBytes, BundlePayload fleetBundle,
                         boolean fleetChanged, Optional<byte[]> deviceBundleBytes, Optional<BundlePayload> deviceBundle,
                         Optional<byte[]> deviceKey, InstalledState from, FleetChanges changes) {

    /** True when applying would change nothing: no package, the fleet bundle already held, no device bundle. */
    public boolean nothingToDo() {
        return verified.isEmpty() && !fleetChanged && deviceBundle.isEmpty();
    }

    @Override
    public String toString() {
        return "UpdatePlan[" + verified.map(v -> v.manifest().productLine() + " " + v.manifest().firmwareVersion() + " ")
                .orElse("bundles only ") + "fleet seq " + fleetBundle.sequence() + ", device bundle "
                + deviceBundle.isPresent() + ", key (redacted)]";
    }
}
