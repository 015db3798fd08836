package dev.fleetkey.bundle.update;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import dev.fleetkey.bundle.DeterministicCbor;
import dev.fleetkey.bundle.MalformedBundleException;
import java.util.ArrayList;
import java.util.List;

/**
 * The file a build pipeline ships: a CBOR array {@code [signed-manifest, component...]} of byte strings,
 * components in the manifest's order. Nothing here is trusted: {@link UpdatePackageVerifier} checks the
 * manifest's signature and every component against it.
 *
 * @param signedManifest DER CMS SignedData over the manifest's CBOR
 * @param components the components' bytes, in the manifest's order
 */
public record UpdatePackage(byte[] signedManifest, List<byte[]> components) {

    /** File name extension of a package. */
    public static final String EXTENSION = ".fkpkg";

    public UpdatePackage {
        signedManifest = signedManifest.clone();
        components = components.stream().map(byte[]::clone).toList();
    }

    @Override
    public byte[] signedManifest() {
        return signedManifest.clone();
    }

    /** The package file's bytes (deterministic: the same manifest and components give the same bytes). */
    public byte[] encode() {
        CBORObject array = CBORObject.NewArray().Add(CBORObject.FromObject(signedManifest));
        components.forEach(c -> array.Add(CBORObject.FromObject(c)));
        return DeterministicCbor.encode(array);
    }

    /**
     * Splits a package file into its parts; checks only the container's shape.
     *
     * @throws MalformedBundleException not a CBOR array of at least three byte strings
     */
    public static UpdatePackage decode(byte[] file) throws MalformedBundleException {
        CBORObject array = DeterministicCbor.decode(file);
        if (array.getType() != CBORType.Array || array.size() < 3) {
            throw new MalformedBundleException("an update package is a CBOR array [signed-manifest, image,"
                    + " fleet-bundle, device-bundle...]");
        }
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).getType() != CBORType.ByteString) {
                throw new MalformedBundleException("update package element " + i + " must be a byte string");
            }
            parts.add(array.get(i).GetByteString());
        }
        return new UpdatePackage(parts.get(0), parts.subList(1, parts.size()));
    }
}
