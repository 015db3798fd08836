package dev.fleetkey.service.stations;

import dev.fleetkey.service.bundles.BundleIssuer;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.pki.DeviceKeyRejectedException;
import dev.fleetkey.service.pki.DevicePublicKeys;
import java.security.PublicKey;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Bundles from {@link BundleIssuer}, their secrets sealed (CMS AuthEnvelopedData) to the station's transport
 * key when it has one, so the PSK or private key is readable only by whoever holds the station's private key.
 * Single requests and batches both come through here.
 */
@Component
class SealingBundleSource implements StationBundleSource {

    private final BundleIssuer issuer;
    private final DevicePublicKeys publicKeys;

    SealingBundleSource(BundleIssuer issuer, DevicePublicKeys publicKeys) {
        this.issuer = issuer;
        this.publicKeys = publicKeys;
    }

    @Override
    public BundleIssuer.IssuedBundle issue(Device device, byte[] recipientSpki) {
        return issuer.issueDeviceBundle(device, recipientSpki == null ? null : recipient(recipientSpki), true);
    }

    @Override
    public List<BundleIssuer.IssuedBundle> issueAll(List<Device> devices, byte[] recipientSpki) {
        return issuer.issueDeviceBundles(devices, recipientSpki == null ? null : recipient(recipientSpki));
    }

    private PublicKey recipient(byte[] spki) {
        try {
            return publicKeys.fromSubjectPublicKeyInfo(spki);
        } catch (DeviceKeyRejectedException e) {
            // the key was checked when the station was saved, so a rejection here means the stored row changed
            throw new IllegalStateException("The station's stored transport key is no longer a usable P-256 key", e);
        }
    }
}
