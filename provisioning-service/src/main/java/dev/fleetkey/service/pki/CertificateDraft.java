package dev.fleetkey.service.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;

/**
 * The certificate being put together by the {@link IssuanceRule}s of a {@link CertificateProfile}: each
 * rule sets one field or adds one extension; {@link CertificateIssuer} signs the result.
 */
public final class CertificateDraft {

    private BigInteger serial;
    private Instant notBefore;
    private Instant notAfter;
    private X500Name subject = X500Name.getInstance(new org.bouncycastle.asn1.DERSequence());
    private final Map<ASN1ObjectIdentifier, Extension> extensions = new LinkedHashMap<>();

    public BigInteger serial() {
        return serial;
    }

    public void serial(BigInteger value) {
        this.serial = value;
    }

    public Instant notBefore() {
        return notBefore;
    }

    public Instant notAfter() {
        return notAfter;
    }

    public void validity(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("Certificate validity ends (" + to + ") before it starts (" + from + ")");
        }
        this.notBefore = from;
        this.notAfter = to;
    }

    public X500Name subject() {
        return subject;
    }

    public void subject(X500Name value) {
        this.subject = value;
    }

    /** Whether the subject DN is empty (then subjectAltName must be critical, RFC 5280 4.2.1.6). */
    public boolean subjectIsEmpty() {
        return subject.getRDNs().length == 0;
    }

    /** Adds an extension; each extension may be added once. */
    public void addExtension(Extension extension) {
        if (extensions.putIfAbsent(extension.getExtnId(), extension) != null) {
            throw new IllegalStateException("Two issuance rules set extension " + extension.getExtnId());
        }
    }

    public Extension extension(ASN1ObjectIdentifier oid) {
        return extensions.get(oid);
    }

    public Collection<Extension> extensions() {
        return Collections.unmodifiableCollection(extensions.values());
    }
}
