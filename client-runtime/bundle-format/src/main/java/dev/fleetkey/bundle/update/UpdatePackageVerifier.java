package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.OversizeBundleException;
import dev.fleetkey.bundle.RollbackException;
import dev.fleetkey.bundle.WrongProductLineException;
import java.util.List;
import java.util.Objects;

/**
 * Verifies an update package (FORMAT.md section 9, "Verifying a package"), in order: size; container
 * shape; the manifest's envelope and signature (the bundle verifier's steps 1-4, same trust anchors);
 * the manifest's format; product line; hardware class; validity window; sequence above the last
 * accepted; every component's size and SHA-256 digest. Each refusal is its own {@link BundleException}.
 * Immutable and thread-safe.
 */
public final class UpdatePackageVerifier {

    /** Default size limit of a whole package: room for a firmware image of a constrained device. */
    public static final int DEFAULT_MAX_SIZE = 64 * 1024 * 1024;

    private final BundleVerifier envelopes;
    private final int maxSize;

    /**
     * @param envelopes the bundle verifier holding the bundle-signing trust anchors
     * @param maxSize the largest package accepted, checked before parsing
     */
    public UpdatePackageVerifier(BundleVerifier envelopes, int maxSize) {
        this.envelopes = Objects.requireNonNull(envelopes, "envelopes");
        this.maxSize = maxSize;
    }

    /** A verifier with the {@link #DEFAULT_MAX_SIZE}. */
    public UpdatePackageVerifier(BundleVerifier envelopes) {
        this(envelopes, DEFAULT_MAX_SIZE);
    }

    /**
     * @return the manifest and components, all checked
     * @throws BundleException the first rule the package breaks
     */
    public VerifiedPackage verify(byte[] file, UpdateExpectations expected) throws BundleException {
        Objects.requireNonNull(expected, "expected");
        if (file == null || file.length > maxSize) {
            throw new OversizeBundleException(file == null ? 0 : file.length, maxSize);
        }
        UpdatePackage parts = UpdatePackage.decode(file);
        BundleVerifier.SignedContent signed = envelopes.verifyEnvelope(parts.signedManifest(), expected.now());
        UpdateManifest manifest = UpdateManifestCodec.decode(signed.content());
        if (!manifest.productLine().equals(expected.productLine())) {
            throw new WrongProductLineException(expected.productLine(), manifest.productLine());
        }
        if (!manifest.hardwareClass().equals(expected.hardwareClass())) {
            throw new WrongHardwareClassException(expected.hardwareClass(), manifest.hardwareClass());
        }
        if (manifest.notAfter() != null && expected.now().isAfter(manifest.notAfter())) {
            throw PackageValidityException.expired(manifest.notAfter(), expected.now());
        }
        if (manifest.notBefore().isAfter(expected.now().plus(expected.clockSkew()))) {
            throw PackageValidityException.notYetValid(manifest.notBefore(), expected.now());
        }
        if (manifest.sequence() <= expected.lastAcceptedSequence()) {
            throw new RollbackException(manifest.sequence(), expected.lastAcceptedSequence());
        }
        List<byte[]> components = parts.components();
        if (components.size() != manifest.components().size()) {
            throw new TamperedComponentException("package holds " + components.size() + " components, its manifest"
                    + " describes " + manifest.components().size());
        }
        for (int i = 0; i < components.size(); i++) {
            PackageComponent described = manifest.components().get(i);
            if (!described.matches(components.get(i))) {
                throw new TamperedComponentException("component " + i + " (" + described.role().name().toLowerCase()
                        .replace('_', '-') + (described.name() == null ? "" : " " + described.name())
                        + ") does not match its signed digest: the package was changed after signing");
            }
        }
        return new VerifiedPackage(manifest, signed.signer(), components);
    }
}
