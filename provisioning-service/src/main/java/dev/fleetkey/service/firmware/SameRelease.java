package dev.fleetkey.service.firmware;

import dev.fleetkey.bundle.BundleCodec;
import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.update.UpdateManifest;
import dev.fleetkey.bundle.update.UpdateManifestCodec;
import dev.fleetkey.bundle.update.UpdatePackage;
import dev.fleetkey.bundle.update.UpdatePackager;
import java.util.Arrays;
import java.util.Objects;

/**
 * Whether a package rebuilt from a release's recorded inputs is that release. With a signing key in memory
 * (deterministic ECDSA) the bytes are identical. With the key in a PKCS#11 token every signature is new, so the
 * package is the same release when everything signed is the same: the manifest's fields and image digest, and the
 * fleet bundle's payload bytes; only the signatures (and the fleet bundle's digest, which covers its signature) differ.
 */
final class SameRelease {

    private SameRelease() {
    }

    static boolean check(byte[] recorded, UpdatePackager.Packed rebuilt, boolean deterministicSigner,
            BundleVerifier ownBundles) {
        if (Arrays.equals(recorded, rebuilt.bytes())) {
            return true;
        }
        if (deterministicSigner) {
            return false;
        }
        try {
            UpdatePackage before = UpdatePackage.decode(recorded);
            UpdatePackage after = UpdatePackage.decode(rebuilt.bytes());
            UpdateManifest manifest = rebuilt.manifest();
            VerificationContext at = VerificationContext.standalone().at(manifest.notBefore());
            byte[] fleetBefore = BundleCodec.encode(ownBundles.verify(before.components().get(1), at).payload());
            byte[] fleetAfter = BundleCodec.encode(ownBundles.verify(after.components().get(1), at).payload());
            UpdateManifest recordedManifest = UpdateManifestCodec.decode(
                    ownBundles.verifyEnvelope(before.signedManifest(), manifest.notBefore()).content());
            return before.components().size() == after.components().size()
                    && Arrays.equals(before.components().get(0), after.components().get(0))
                    && Arrays.equals(fleetBefore, fleetAfter)
                    && sameFields(recordedManifest, manifest);
        } catch (BundleException e) {
            return false;
        }
    }

    private static boolean sameFields(UpdateManifest a, UpdateManifest b) {
        return a.template().equals(b.template()) && a.hardwareClass().equals(b.hardwareClass())
                && a.firmwareVersion().equals(b.firmwareVersion()) && a.sequence() == b.sequence()
                && a.notBefore().equals(b.notBefore()) && Objects.equals(a.notAfter(), b.notAfter())
                && a.image().equals(b.image()) && a.components().size() == b.components().size();
    }
}
