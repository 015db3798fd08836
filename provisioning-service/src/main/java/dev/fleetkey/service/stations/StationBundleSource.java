package dev.fleetkey.service.stations;

import dev.fleetkey.service.bundles.BundleIssuer;
import dev.fleetkey.service.devices.Device;
import java.util.List;

/**
 * Where station code (single requests and batches) gets a device's signed bundle, sealed to the station's
 * transport key when it has one; {@link SealingBundleSource} adapts {@link BundleIssuer}.
 */
public interface StationBundleSource {

    /**
     * Issues the next bundle of {@code device}, inside the caller's transaction.
     *
     * @param recipientSpki P-256 SubjectPublicKeyInfo DER the bundle's secrets are sealed to, or null for none
     */
    BundleIssuer.IssuedBundle issue(Device device, byte[] recipientSpki);

    /** The first bundles of devices a batch's chunk just made from one template, in the order given. */
    List<BundleIssuer.IssuedBundle> issueAll(List<Device> devices, byte[] recipientSpki);
}
