package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.BundlePayload;
import java.util.Optional;

/**
 * The verified state a device runs on: its device bundle and, after the first update, the fleet bundle
 * and the firmware version that came with it.
 *
 * @param identity what the device is
 * @param slot the state's directory name under {@code states/}
 * @param deviceBundle the verified device bundle
 * @param fleetBundle the verified fleet bundle, empty before the first update
 * @param firmwareVersion the firmware version of the package last applied, empty before the first update
 */
public record InstalledState(DeviceIdentity identity, String slot, BundlePayload deviceBundle,
                             Optional<BundlePayload> fleetBundle, Optional<String> firmwareVersion) {

    /**
     * The payload sessions run on: the device bundle's credentials with the fleet bundle's servers, trust
     * anchors, pins and DTLS policy. Pass it to {@code SecureSession.open}.
     */
    public BundlePayload effectiveBundle() {
        return EffectiveBundle.of(deviceBundle, fleetBundle);
    }

    /** The fleet sequence this state runs, -1 before the first update. */
    public long fleetSequence() {
        return fleetBundle.map(BundlePayload::sequence).orElse(-1L);
    }
}
