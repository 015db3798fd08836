package dev.fleetkey.service.pki;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/** Builds the CA certificates and the bundle-signer certificate. */
final class CaCertificateFactory {

    private final P256Crypto crypto;
    private final SerialNumbers serials;
    private final JcaX509ExtensionUtils extensionUtils;

    CaCertificateFactory(P256Crypto crypto, SerialNumbers serials) {
        this.crypto = crypto;
        this.serials = serials;
        try {
            this.extensionUtils = new JcaX509ExtensionUtils();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 for key identifiers is unavailable", e);
        }
    }

    /** A self-signed root CA certificate with the given path length constraint. */
    X509Certificate root(KeyPair keys, X500Name subject, Instant notBefore, Instant notAfter, int pathLength) {
        X509v3CertificateBuilder builder = builder(subject, subject, keys.getPublic(), notBefore, notAfter);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensionUtils.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot encode a CA extension", e);
        }
        return crypto.certificate(builder.build(crypto.signer(keys.getPrivate())));
    }

    /** A CA certificate for {@code publicKey}, signed by {@code parent}. */
    X509Certificate subordinate(IssuingCa parent, PublicKey publicKey, X500Name subject, Instant notBefore,
            Instant notAfter, int pathLength) {
        X509Certificate parentCert = parent.certificate();
        X509v3CertificateBuilder builder = builder(X500Name.getInstance(parentCert.getSubjectX500Principal()
                .getEncoded()), subject, publicKey, notBefore, notAfter);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLength));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensionUtils.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensionUtils.createAuthorityKeyIdentifier(parentCert.getPublicKey()));
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot encode a CA extension", e);
        }
        return crypto.certificate(builder.build(crypto.signer(parent.privateKey())));
    }

    /**
     * The self-signed bundle-signer certificate: keyUsage digitalSignature (critical) and no
     * extendedKeyUsage, so that OpenSSL's S/MIME signing purpose check and the bundle verifier accept it
     * as both the signer and the trust anchor.
     */
    X509Certificate bundleSigner(KeyPair keys, X500Name subject, Instant notBefore, Instant notAfter) {
        X509v3CertificateBuilder builder = builder(subject, subject, keys.getPublic(), notBefore, notAfter);
        try {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensionUtils.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new IllegalStateException("Cannot encode a signer extension", e);
        }
        return crypto.certificate(builder.build(crypto.signer(keys.getPrivate())));
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey publicKey,
            Instant notBefore, Instant notAfter) {
        return new JcaX509v3CertificateBuilder(issuer, serials.next(toPrincipal(issuer)), Date.from(notBefore),
                Date.from(notAfter), subject, publicKey);
    }

    private static X500Principal toPrincipal(X500Name name) {
        try {
            return new X500Principal(name.getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Cannot encode the name " + name, e);
        }
    }
}
