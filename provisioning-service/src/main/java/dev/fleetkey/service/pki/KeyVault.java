package dev.fleetkey.service.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.crypto.SecretKey;

/**
 * Where the service's long-lived keys live: CA keys, the bundle-signing key and the key-encryption key.
 *
 * <p>Issuance code talks only to this interface so that a PKCS#11 token can replace the PKCS#12 file
 * ({@link Pkcs12KeyVault}) without touching it. Implementations are thread-safe; a failure to read or
 * write the store is a {@link KeyVaultException}.
 */
public interface KeyVault {

    /** The private key and its certificate chain (own certificate first) stored under {@code alias}. */
    Optional<VaultKeyEntry> privateKeyEntry(String alias);

    /** Stores (or replaces) a private key with its certificate chain, own certificate first. */
    void storePrivateKeyEntry(String alias, PrivateKey key, List<X509Certificate> chain);

    /** The secret (symmetric) key stored under {@code alias}. */
    Optional<SecretKey> secretKey(String alias);

    /** Stores (or replaces) a secret key. */
    void storeSecretKey(String alias, SecretKey key);

    /** Every alias in the vault. */
    Set<String> aliases();

    /** Removes an entry, e.g. the root CA key once it has been exported and taken offline. */
    void delete(String alias);
}
