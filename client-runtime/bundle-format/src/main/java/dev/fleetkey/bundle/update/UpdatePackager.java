package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.TemplateRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds signed update packages. Signing uses the bundle signer (deterministic ECDSA), so the same
 * inputs (release, image, fleet bundle, device bundles, times) always give a byte-identical package.
 */
public final class UpdatePackager {

    private final BundleSigner signer;

    /** @param signer the service's bundle signer; devices verify packages against the same anchor as bundles */
    public UpdatePackager(BundleSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /**
     * What a release is made of, besides its bytes.
     *
     * @param template product line and template version
     * @param hardwareClass hardware the image is built for
     * @param firmwareVersion the image's version
     * @param sequence the package (and fleet bundle) sequence for the product line
     * @param notBefore not valid before
     * @param notAfter not valid after; null for no expiry
     */
    public record Release(TemplateRef template, String hardwareClass, String firmwareVersion, long sequence,
                          Instant notBefore, Instant notAfter) {
    }

    /**
     * Describes, signs and packs the components.
     *
     * @param deviceBundles signed device bundles by canonical EUI-64 (may be empty)
     * @return the package and its manifest
     */
    public Packed pack(Release release, byte[] image, byte[] fleetBundle, Map<String, byte[]> deviceBundles) {
        List<PackageComponent> described = new ArrayList<>();
        List<byte[]> parts = new ArrayList<>();
        described.add(PackageComponent.describe(ComponentRole.FIRMWARE_IMAGE, null, image));
        parts.add(image);
        described.add(PackageComponent.describe(ComponentRole.FLEET_BUNDLE, null, fleetBundle));
        parts.add(fleetBundle);
        new TreeMap<>(deviceBundles).forEach((device, bundle) -> {
            described.add(PackageComponent.describe(ComponentRole.DEVICE_BUNDLE, device, bundle));
            parts.add(bundle);
        });
        UpdateManifest manifest = new UpdateManifest(release.template(), release.hardwareClass(),
                release.firmwareVersion(), release.sequence(), release.notBefore(), release.notAfter(), described);
        byte[] signedManifest = signer.signEncoded(UpdateManifestCodec.encode(manifest));
        return new Packed(manifest, new UpdatePackage(signedManifest, parts).encode());
    }

    /**
     * A packed release.
     *
     * @param manifest what was signed
     * @param bytes the package file
     */
    public record Packed(UpdateManifest manifest, byte[] bytes) {
    }
}
