package dev.fleetkey.runtime.state;

import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A device certificate renewed on the device ({@code fleetkey-device renew}) and where its private key is:
 * in the state directory (a software key, PKCS#8) or in a PKCS#11 token under a label. It replaces the
 * credential the device bundle {@code deviceBundleId} carries for one server, and only that bundle's: a newer
 * device bundle (rotation, recovery) brings its own credential, which then wins.
 *
 * @param deviceBundleId the id (32 hex digits) of the device bundle whose credential this one renews
 * @param softwareKey    PKCS#8 of the private key, or null when the key is in a token
 * @param tokenKeyLabel  the label of the private key in the token, or null for a software key
 * @param chain          the certificate chain, leaf first, without the root
 */
public record RenewedCredential(String deviceBundleId, byte[] softwareKey, String tokenKeyLabel,
                                List<X509Certificate> chain) {

    /** Checks and copies. */
    public RenewedCredential {
        Objects.requireNonNull(deviceBundleId, "deviceBundleId");
        if ((softwareKey == null) == (tokenKeyLabel == null)) {
            throw new IllegalArgumentException("a renewed credential has either a software key or a token key label");
        }
        if (tokenKeyLabel != null && !tokenKeyLabel.matches("[A-Za-z0-9._:+-]{1,64}")) {
            throw new IllegalArgumentException("token key label '" + tokenKeyLabel + "' must be 1-64 letters, digits"
                    + " or . _ : + -");
        }
        softwareKey = softwareKey == null ? null : softwareKey.clone();
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a renewed credential needs its certificate chain");
        }
    }

    /** A credential whose key is in the state directory. */
    public static RenewedCredential software(String deviceBundleId, byte[] pkcs8, List<X509Certificate> chain) {
        return new RenewedCredential(deviceBundleId, Objects.requireNonNull(pkcs8, "pkcs8"), null, chain);
    }

    /** A credential whose key stays in a PKCS#11 token under {@code label}. */
    public static RenewedCredential token(String deviceBundleId, String label, List<X509Certificate> chain) {
        return new RenewedCredential(deviceBundleId, null, Objects.requireNonNull(label, "label"), chain);
    }

    /** A copy of the software key's PKCS#8, or null for a token key. */
    @Override
    public byte[] softwareKey() {
        return softwareKey == null ? null : softwareKey.clone();
    }

    /** Whether the private key is held in a token. */
    public boolean inToken() {
        return tokenKeyLabel != null;
    }

    /** The certificate in use. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Overwrites the copy of the software key this record holds. */
    public void wipe() {
        if (softwareKey != null) {
            Arrays.fill(softwareKey, (byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RenewedCredential c && deviceBundleId.equals(c.deviceBundleId)
                && Arrays.equals(softwareKey, c.softwareKey) && Objects.equals(tokenKeyLabel, c.tokenKeyLabel)
                && chain.equals(c.chain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceBundleId, tokenKeyLabel, chain);
    }

    @Override
    public String toString() {
        return "RenewedCredential[leaf serial " + leaf().getSerialNumber().toString(16) + ", "
                + (inToken() ? "token key " + tokenKeyLabel : "software key redacted") + "]";
    }
}
