package dev.fleetkey.bundle;

import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
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
    private final boolean refuseSecretsInClear;

    private BundleVerifier(List<TrustedSigner> anchors, int maxSize, boolean refuseSecretsInClear) {
        this.anchors = anchors;
        this.maxSize = maxSize;
        this.refuseSecretsInClear = refuseSecretsInClear;
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
        SignedContent content = verifyEnvelope(signedBundle, context.now());
        BundlePayload payload = BundleCodec.decode(content.content());
        checkExpectations(payload, context);
        if (refuseSecretsInClear && payload.secretsInClear() && payload.hasClearSecrets()) {
            throw new ClearSecretsException("bundle carries its secrets in clear (a development template) and this"
                    + " verifier accepts only sealed secrets");
        }
        return new VerifiedBundle(payload, content.signer(), signedBundle.length);
    }

    /**
     * Steps 1-4 of the verification algorithm, shared by every signed Fleetkey object (bundles and
     * update manifests): size, the exact CMS profile, a trusted signer, the signature. The content is
     * returned as signed, not yet decoded; its own codec checks it next.
     *
     * @param signed the DER CMS SignedData
     * @param now the time an embedded signer certificate must be valid at
     * @return the encapsulated content and the certificate that signed it
     * @throws BundleException {@link OversizeBundleException}, {@link MalformedBundleException},
     *     {@link UntrustedSignerException} or {@link BadSignatureException}
     */
    public SignedContent verifyEnvelope(byte[] signed, java.time.Instant now) throws BundleException {
        Objects.requireNonNull(now, "now");
        if (signed == null || signed.length > maxSize) {
            throw new OversizeBundleException(signed == null ? 0 : signed.length, maxSize);
        }
        CMSSignedData cms = parse(signed);
        SignerInformation signerInfo;
        try {
            signerInfo = onlySigner(cms);
            checkProfile(cms, signerInfo, signed);
        } catch (RuntimeException e) {
            throw new MalformedBundleException("bundle signer information is damaged: " + e.getClass().getSimpleName());
        }
        X509Certificate signer = trustedSigner(signerInfo.getSID(), cms, now);
        checkSignature(signerInfo, signer);
        return new SignedContent((byte[]) cms.getSignedContent().getContent(), signer);
    }

    /**
     * The content of a CMS SignedData whose envelope and signature passed {@link #verifyEnvelope}.
     *
     * @param content the encapsulated octets, exactly as signed
     * @param signer the certificate that signed them
     */
    public record SignedContent(byte[] content, X509Certificate signer) {
        public SignedContent {
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /**
     * Verifies {@code signedBundle} like {@link #verify(byte[], VerificationContext)}, then opens its
     * sealed secrets (if any) with {@code recipientKey}.
     *
     * @return the verified bundle whose payload holds the secrets in its server credentials
     * @throws SecretsDecryptionException when the secrets were sealed for another key
     */
    public VerifiedBundle verify(byte[] signedBundle, VerificationContext context, PrivateKey recipientKey)
            throws BundleException {
        VerifiedBundle verified = verify(signedBundle, context);
        return new VerifiedBundle(BundleSecrets.open(verified.payload(), recipientKey), verified.signer(),
                verified.size());
    }

    /**
     * Decodes the payload of {@code signedBundle} WITHOUT checking who signed it or whether the
     * signature holds: for tools that display a bundle and say it is unverified. Never act on it.
     *
     * @throws BundleException when the bytes are not a well-formed bundle
     */
    public static BundlePayload readUnverified(byte[] signedBundle) throws BundleException {
        if (signedBundle == null || signedBundle.length > DEFAULT_MAX_SIZE) {
            throw new OversizeBundleException(signedBundle == null ? 0 : signedBundle.length, DEFAULT_MAX_SIZE);
        }
        return BundleCodec.decode((byte[]) parse(signedBundle).getSignedContent().getContent());
    }

    /**
     * Parses the whole CMS structure up front (BouncyCastle parses some parts lazily and reports
     * damage there as unchecked exceptions).
     */
    private static CMSSignedData parse(byte[] bytes) throws MalformedBundleException {
        try {
            CMSSignedData cms = new CMSSignedData(bytes);
            if (!CMSObjectIdentifiers.signedData.equals(cms.toASN1Structure().getContentType())) {
                throw new MalformedBundleException("bundle content type must be id-signedData");
            }
            if (cms.getSignedContent() == null || !(cms.getSignedContent().getContent() instanceof byte[])) {
                throw new MalformedBundleException("CMS SignedData carries no encapsulated payload");
            }
            if (!CMSObjectIdentifiers.data.equals(cms.getSignedContent().getContentType())) {
                throw new MalformedBundleException("encapsulated content type must be id-data");
            }
            cms.getSignerInfos().getSigners();
            cms.getCertificates().getMatches(null);
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
        if (si.getSignedAttributes() != null || si.getUnsignedAttributes() != null) {
            throw new MalformedBundleException("bundle signer must carry no signed or unsigned attributes");
        }
        return si;
    }

    /**
     * The fields the signature does not cover (content types, versions, algorithm identifiers, tags)
     * must have their one allowed value, so that no byte of a bundle can change without the bundle
     * being refused: the bundle must equal the DER SignedData rebuilt from its payload, signer key
     * identifier, signature and certificates.
     */
    private static void checkProfile(CMSSignedData cms, SignerInformation si, byte[] bundle)
            throws MalformedBundleException {
        byte[] ski = si.getSID().getSubjectKeyIdentifier();
        if (ski == null) {
            throw new MalformedBundleException("bundle signer must be named by subject key identifier");
        }
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(new ASN1ObjectIdentifier(Crypto.SHA256));
        SignerInfo signerInfo = new SignerInfo(new SignerIdentifier(new DEROctetString(ski)), sha256, (ASN1Set) null,
                new AlgorithmIdentifier(new ASN1ObjectIdentifier(Crypto.ECDSA_WITH_SHA256)),
                new DEROctetString(si.getSignature()), (ASN1Set) null);
        ASN1Set certificates = SignedData.getInstance(cms.toASN1Structure().getContent()).getCertificates();
        SignedData expected = new SignedData(new DERSet(sha256),
                new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString((byte[]) cms.getSignedContent().getContent())),
                certificates == null ? null : new DERSet(certificates.toArray()), null, new DERSet(signerInfo));
        byte[] rebuilt;
        try {
            rebuilt = new ContentInfo(CMSObjectIdentifiers.signedData, expected).getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new MalformedBundleException("bundle cannot be re-encoded");
        }
        if (!java.util.Arrays.equals(rebuilt, bundle)) {
            throw new MalformedBundleException("CMS SignedData does not follow the bundle profile (DER; version 3;"
                    + " one SHA-256 digest algorithm; signer named by subject key identifier; no attributes, CRLs or"
                    + " algorithm parameters)");
        }
    }

    private X509Certificate trustedSigner(SignerId sid, CMSSignedData cms, java.time.Instant now)
            throws BundleException {
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
                if (anchor.issued(cert, now)) {
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
        private boolean refuseSecretsInClear;

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

        /**
         * Refuses bundles whose secrets travel in clear even when they say so: production devices
         * accept only sealed secrets ({@link ClearSecretsException}).
         */
        public Builder refuseSecretsInClear() {
            this.refuseSecretsInClear = true;
            return this;
        }

        public BundleVerifier build() {
            if (anchors.isEmpty()) {
                throw new IllegalStateException("a bundle verifier needs at least one trust anchor");
            }
            return new BundleVerifier(List.copyOf(anchors), maxSize, refuseSecretsInClear);
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

        /** Whether this anchor signed {@code cert} and {@code cert} is valid at {@code now} (the context's time). */
        boolean issued(X509Certificate cert, java.time.Instant now) {
            try {
                if (!cert.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
                    return false;
                }
                cert.verify(certificate.getPublicKey(), Crypto.BC);
                cert.checkValidity(java.util.Date.from(now));
                return true;
            } catch (java.security.GeneralSecurityException e) {
                return false;
            }
        }
    }
}
