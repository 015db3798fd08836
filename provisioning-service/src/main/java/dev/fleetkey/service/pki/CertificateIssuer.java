package dev.fleetkey.service.pki;

import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/** Issues certificates from one CA by one {@link CertificateProfile}. Thread-safe. */
public final class CertificateIssuer {

    private final Supplier<IssuingCa> currentCa;
    private final CertificateProfile profile;
    private final P256Crypto crypto;

    public CertificateIssuer(IssuingCa ca, CertificateProfile profile, P256Crypto crypto) {
        this(() -> ca, profile, crypto);
    }

    /** An issuer on whatever CA {@code currentCa} names at each issue (an imported hierarchy replaces it). */
    public CertificateIssuer(Supplier<IssuingCa> currentCa, CertificateProfile profile, P256Crypto crypto) {
        this.currentCa = currentCa;
        this.profile = profile;
        this.crypto = crypto;
    }

    /**
     * Applies every rule of the profile and signs.
     *
     * @throws IllegalArgumentException if a rule refuses the request (the message names what to fix)
     */
    public X509Certificate issue(CertificateRequest request) {
        IssuingCa ca = currentCa.get();
        X500Name issuerName = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        CertificateDraft draft = new CertificateDraft();
        for (IssuanceRule rule : profile.rules()) {
            rule.apply(request, ca, draft);
        }
        if (draft.serial() == null || draft.notBefore() == null) {
            throw new IllegalStateException("Profile " + profile.name() + " sets no serial or no validity");
        }
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuerName, draft.serial(),
                Date.from(draft.notBefore()), Date.from(draft.notAfter()), draft.subject(),
                IssuanceRules.spki(request.publicKey()));
        try {
            for (Extension extension : draft.extensions()) {
                builder.addExtension(extension);
            }
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot add an extension", e);
        }
        return crypto.certificate(builder.build(crypto.signer(ca.privateKey())));
    }

    /** The chain to send with a leaf: the leaf, then the issuing CA(s); never the root. */
    public List<X509Certificate> chainFor(X509Certificate leaf) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(leaf), currentCa.get().chainWithoutRoot().stream())
                .toList();
    }

    public IssuingCa ca() {
        return currentCa.get();
    }
}
