package dev.fleetkey.bundle;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerId;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The one bundle verifier, used by the device runtime and by the service's tests. Steps, in order
 * (FORMAT.md, "Verification"): size, CMS structure, signer trusted, signature, payload schema and
 * version, kind, device binding, validity, sequence. Each refusal is its own {@link BundleException}.
 * Immutable and thread-safe.
 */
public final class BundleVerifier {

    /** Default size limit: far above any real bundle, far below what could exhaust a device. */
    public static final int DEFAULT_MAX_SIZE = 64 * 1024;

    private final List<TrustedSigner> anchors;
    private final int maxSize;

    private BundleVerifier(List<TrustedSigner> anchors, int maxSize) {
        this.anchors = anchors;
        this.maxSize = maxSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies {@code signedBundle} against the trust anchors and {@code context}.
     *
     * @return the verified payload and its signer
     * @throws BundleException the first rule the bundle breaks
     */
    public VerifiedBundle verify(byte[] signedBundle, VerificationContext context) throws BundleException {
        Objects.requireNonNull(context, "context");
        if (signedBundle == null || signedBundle.length > maxSize) {
            throw new OversizeBundleException(signedBundle == null ? 0 : signedBundle.length, maxSize);
        }
        CMSSignedData cms = parse(signedBundle);
        SignerInformation signerInfo = onlySigner(cms);
        X509Certificate signer = trustedSigner(signerInfo.getSID(), cms);
        checkSignature(signerInfo, signer);
        BundlePayload payload = BundleCodec.decode((byte[]) cms.getSignedContent().getContent());
        checkExpectations(payload, context);
        return new VerifiedBundle(payload, signer, signedBundle.length);
    }

    private static CMSSignedData parse(byte[] bytes) throws MalformedBundleException {
        try {
            CMSSignedData cms = new CMSSignedData(bytes);
            if (cms.getSignedContent() == null || !(cms.getSignedContent().getContent() instanceof byte[])) {
                throw new MalformedBundleException("CMS SignedData carries no encapsulated payload");
            }
            if (!CMSObjectIdentifiers.data.equals(cms.getSignedContent().getContentType())) {
                throw new MalformedBundleException("encapsulated content type must be id-data");
            }
            return cms;
        } catch (CMSException | RuntimeException e) {
            throw new MalformedBundleException("not a CMS SignedData bundle: " + e.getClass().getSimpleName());
        }
    }

    private static SignerInformation onlySigner(CMSSignedData cms) throws MalformedBundleException {
        Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new MalformedBundleException("a bundle has exactly one signer, this one has " + signers.size());
        }
        SignerInformation si = signers.iterator().next();
        if (!Crypto.SHA256.equals(si.getDigestAlgOID()) || !Crypto.ECDSA_WITH_SHA256.equals(si.getEncryptionAlgOID())) {
            throw new MalformedBundleException("bundle must be signed with ECDSA and SHA-256");
        }
        return si;
    }

    private X509Certificate trustedSigner(SignerId sid, CMSSignedData cms) throws BundleException {
        for (TrustedSigner anchor : anchors) {
            if (sid.match(anchor.holder())) {
                return anchor.certificate();
            }
        }
        // An embedded signer certificate is trusted only when an anchor issued it.
        for (X509CertificateHolder embedded : cms.getCertificates().getMatches(null)) {
            if (!sid.match(embedded)) {
                continue;
            }
            X509Certificate cert = toCertificate(embedded);
            for (TrustedSigner anchor : anchors) {
                if (anchor.issued(cert)) {
                    return cert;
                }
            }
        }
        throw new UntrustedSignerException("bundle signer does not chain to a trusted bundle-signing anchor"
                + " (this device trusts " + anchors.size() + " anchor(s))");
    }

    private static void checkSignature(SignerInformation si, X509Certificate signer) throws BadSignatureException {
        boolean valid;
        try {
            valid = si.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(Crypto.BC).build(signer.getPublicKey()));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw new BadSignatureException("bundle signature is invalid: the bundle was changed after signing");
        }
    }

    private static void checkExpectations(BundlePayload payload, VerificationContext ctx) throws BundleException {
        if (ctx.expectedKind() != null && payload.kind() != ctx.expectedKind()) {
            throw new WrongKindException(ctx.expectedKind(), payload.kind());
        }
        if (ctx.expectedDevice() != null && payload.kind() == BundleKind.DEVICE
                && !ctx.expectedDevice().equals(payload.device())) {
            throw new WrongDeviceException(ctx.expectedDevice(), payload.device());
        }
        if (ctx.now().isAfter(payload.notAfter())) {
            throw ValidityException.expired(payload.notAfter(), ctx.now());
        }
        if (payload.issuedAt().isAfter(ctx.now().plus(ctx.clockSkew()))) {
            throw ValidityException.notYetValid(payload.issuedAt(), ctx.now());
        }
        if (payload.sequence() <= ctx.lastAcceptedSequence()) {
            throw new RollbackException(payload.sequence(), ctx.lastAcceptedSequence());
        }
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder) throws MalformedBundleException {
        try {
            return new JcaX509CertificateConverter().setProvider(Crypto.BC).getCertificate(holder);
        } catch (CertificateException e) {
            throw new MalformedBundleException("embedded certificate cannot be read");
        }
    }

    /** Builds a verifier; at least one trust anchor is required. */
    public static final class Builder {
        private final List<TrustedSigner> anchors = new ArrayList<>();
        private int maxSize = DEFAULT_MAX_SIZE;

        public Builder trustAnchor(X509Certificate anchor) {
            anchors.add(TrustedSigner.of(anchor));
            return this;
        }

        public Builder trustAnchors(Collection<X509Certificate> more) {
            more.forEach(this::trustAnchor);
            return this;
        }

        public Builder maxSize(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("max bundle size " + bytes + " is below 256 bytes");
            }
            this.maxSize = bytes;
            return this;
        }

        public BundleVerifier build() {
            if (anchors.isEmpty()) {
                throw new IllegalStateException("a bundle verifier needs at least one trust anchor");
            }
            return new BundleVerifier(List.copyOf(anchors), maxSize);
        }
    }

    private record TrustedSigner(X509Certificate certificate, X509CertificateHolder holder) {
        static TrustedSigner of(X509Certificate certificate) {
            try {
                return new TrustedSigner(certificate, new JcaX509CertificateHolder(certificate));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalArgumentException("trust anchor cannot be encoded", e);
            }
        }

        boolean issued(X509Certificate cert) {
            try {
                if (!cert.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
                    return false;
                }
                cert.verify(certificate.getPublicKey(), Crypto.BC);
                cert.checkValidity();
                return true;
            } catch (java.security.GeneralSecurityException e) {
                return false;
            }
        }
    }
}
