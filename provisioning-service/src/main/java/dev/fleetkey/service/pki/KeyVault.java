package dev.fleetkey.service.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * Where the service's long-lived keys live: CA keys, the bundle-signing key and the key-encryption key.
 *
 * <p>Issuance code talks only to this interface so that a PKCS#11 token ({@link Pkcs11KeyVault}) can replace the
 * PKCS#12 file ({@link Pkcs12KeyVault}) without touching it: keys the service keeps are made by
 * {@link #generateKeyPair} and {@link #generateAesKey}, which a token runs inside itself, and are then used only
 * as JCA key objects (never through their encoding). Implementations are thread-safe; a failure to read or
 * write the store is a {@link KeyVaultException}.
 */
public interface KeyVault {

    /** The kind of store, as {@code fleetkey.keys.provider} names it: {@code pkcs12} or {@code pkcs11}. */
    default String kind() {
        return "memory";
    }

    /** Where the store is (a file, a module and slot), for messages and health details; never a secret. */
    default String location() {
        return kind();
    }

    /**
     * A new P-256 key pair whose private key this vault can store. A software vault makes it in memory; a token
     * makes it inside itself, so the private key never exists outside it.
     */
    default KeyPair generateKeyPair() {
        return P256Crypto.preferred().generateKeyPair();
    }

    /** A new AES-256 key this vault can store (made inside a token, as {@link #generateKeyPair}). */
    default SecretKey generateAesKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, P256Crypto.preferred().random());
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 key generation is unavailable", e);
        }
    }

    /** Reads the store again, for entries another instance sharing it may have added; nothing to do for a file. */
    default void refresh() {
    }

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
