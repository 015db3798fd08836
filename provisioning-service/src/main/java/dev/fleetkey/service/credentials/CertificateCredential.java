package dev.fleetkey.service.credentials;

import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An X.509 client certificate with the chain the device sends (leaf first, then the issuing CA; never the
 * root).
 *
 * @param privateKey PKCS#8 DER, or {@code null} when the key was made on the device
 * @param chain      leaf first, no root
 */
public record CertificateCredential(byte[] privateKey, List<X509Certificate> chain) implements IssuedCredential {

    public CertificateCredential {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("A certificate credential needs at least its leaf certificate");
        }
        privateKey = privateKey == null ? null : privateKey.clone();
        chain = List.copyOf(chain);
    }

    @Override
    public byte[] privateKey() {
        return privateKey == null ? null : privateKey.clone();
    }

    /** The device's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The chain as DER, leaf first, as a bundle carries it. */
    public List<byte[]> chainDer() {
        return chain.stream().map(CertificateCredential::der).toList();
    }

    @Override
    public boolean holdsSecret() {
        return privateKey != null;
    }

    private static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("An issued certificate cannot be encoded", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateCredential && chain.equals(((CertificateCredential) o).chain)
                && MessageDigest.isEqual(privateKey == null ? new byte[0] : privateKey,
                        ((CertificateCredential) o).privateKey == null ? new byte[0] : ((CertificateCredential) o).privateKey);
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
