package dev.fleetkey.bundle.credentials;

import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.bundle.CredentialMode;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An X.509 client certificate with the chain the device sends (leaf first, then the issuing CA; never the
 * root).
 *
 * @param privateKey PKCS#8 DER, or {@code null} when the key was made on the device
 * @param chain      leaf first, no root
 */
public record CertificateCredential(byte[] privateKey, List<X509Certificate> chain) implements Credential {

    /** Checks that the leaf is there, and copies. */
    public CertificateCredential {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("A certificate credential needs at least its leaf certificate");
        }
        privateKey = Secrets.copy(privateKey);
        chain = List.copyOf(chain);
    }

    /** The private key as PKCS#8 DER, or null; a copy the caller should wipe. */
    @Override
    public byte[] privateKey() {
        return Secrets.copy(privateKey);
    }

    /** The device's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The chain as DER, leaf first, as a bundle carries it. */
    public List<byte[]> chainDer() {
        return chain.stream().map(c -> Certificates.encoded(c)
                .orElseThrow(() -> new IllegalStateException("An issued certificate cannot be encoded"))).toList();
    }

    @Override
    public CredentialMode mode() {
        return CredentialMode.X509;
    }

    @Override
    public boolean holdsSecret() {
        return privateKey != null;
    }

    @Override
    public void wipe() {
        Secrets.wipe(privateKey);
    }

    /** Equal chains and private keys; the private keys are compared in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateCredential c && chain.equals(c.chain) && Secrets.equal(privateKey, c.privateKey);
    }

    @Override
    public int hashCode() {
        return chain.hashCode();
    }

    @Override
    public String toString() {
        return "CertificateCredential[subject=" + leaf().getSubjectX500Principal().getName() + ", serial="
                + leaf().getSerialNumber().toString(16) + ", chainLength=" + chain.size() + ", privateKey="
                + (privateKey == null ? "on device" : "<hidden>") + "]";
    }
}
