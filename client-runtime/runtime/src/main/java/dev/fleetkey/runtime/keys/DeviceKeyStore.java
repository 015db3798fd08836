package dev.fleetkey.runtime.keys;

import dev.fleetkey.runtime.state.RenewedCredential;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Where the device's certificate keys live: in the state directory ({@link SoftwareKeys}) or in a PKCS#11 token
 * they never leave ({@link Pkcs11Token}). Renewal makes its new key here and keeps it with its certificate.
 */
public sealed interface DeviceKeyStore permits SoftwareKeys, Pkcs11Token {

    /**
     * A freshly made P-256 key pair, not yet kept anywhere.
     *
     * @param provider the provider that signs with {@code privateKey}; null for the default providers
     */
    record NewKey(PublicKey publicKey, PrivateKey privateKey, Provider provider) {
        @Override
        public String toString() {
            return "NewKey[private key redacted]";
        }
    }

    /** Makes a new P-256 key pair. */
    NewKey generate() throws DeviceKeyException;

    /** Keeps {@code key} with its certificate chain; the result is what the state directory records. */
    RenewedCredential keep(NewKey key, String deviceBundleId, List<X509Certificate> chain) throws DeviceKeyException;

    /** The private key of a renewed credential. */
    PrivateKey privateKey(RenewedCredential credential) throws DeviceKeyException;

    /** The private key of the device bundle's own certificate when it lives here instead of in the bundle. */
    Optional<PrivateKey> bundleKey() throws DeviceKeyException;

    /** Removes a credential's key once a newer one has completed a handshake (a token key; nothing for software). */
    void remove(RenewedCredential old) throws DeviceKeyException;
}
