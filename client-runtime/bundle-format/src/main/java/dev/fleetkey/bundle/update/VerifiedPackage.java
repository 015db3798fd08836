package dev.fleetkey.bundle.update;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A package whose manifest is signed by a trusted signer, meant for this device, and whose every
 * component matches the manifest. The fleet and device bundles inside are still to be verified as
 * bundles (they carry their own signatures and rules).
 *
 * @param manifest the verified manifest
 * @param signer the certificate that signed it
 * @param components the component bytes, in the manifest's order
 */
public record VerifiedPackage(UpdateManifest manifest, X509Certificate signer, List<byte[]> components) {

    public VerifiedPackage {
        components = components.stream().map(byte[]::clone).toList();
    }

    /** The firmware image. */
    public byte[] image() {
        return components.get(0).clone();
    }

    /** The signed fleet bundle. */
    public byte[] fleetBundle() {
        return components.get(1).clone();
    }

    /** The signed device bundle for {@code device} (canonical EUI-64), if the package carries one. */
    public Optional<byte[]> deviceBundle(String device) {
        return Optional.ofNullable(deviceBundles().get(device));
    }

    /** All device bundles by device. */
    public Map<String, byte[]> deviceBundles() {
        Map<String, byte[]> out = new TreeMap<>();
        for (int i = 2; i < components.size(); i++) {
            out.put(manifest.components().get(i).name(), components.get(i).clone());
        }
        return out;
    }
}
