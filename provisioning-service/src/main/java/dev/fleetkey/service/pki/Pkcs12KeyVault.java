package dev.fleetkey.service.pki;

import dev.fleetkey.service.system.DurableFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.crypto.SecretKey;

/**
 * A {@link KeyVault} in one PKCS#12 file (the JDK's PKCS12 keystore: AES-256 key protection, HMAC-SHA256
 * integrity), every entry protected by the same passphrase.
 *
 * <p>Each change rewrites the whole file to a temporary file in the same directory, forces it to the disk
 * and renames it over the old one atomically ({@link DurableFiles}), so a crash or a power loss leaves
 * either the old or the new keystore, never half of one, and a change that returned stays.
 * Aliases are case-insensitive (PKCS#12 stores them lower-case).
 */
public final class Pkcs12KeyVault implements KeyVault {

    private final Path file;
    private final char[] passphrase;
    private KeyStore store;

    /**
     * Opens the keystore at {@code file}, or prepares an empty one that is written on the first store.
     *
     * @param passphrase copied; the caller may wipe its array afterwards
     * @throws WrongKeystorePassphraseException if the file exists and the passphrase does not open it
     * @throws KeyVaultException                if the file cannot be read or is not a PKCS#12 keystore
     */
    public Pkcs12KeyVault(Path file, char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new KeyVaultException("The keystore passphrase is empty: set FLEETKEY_KEYSTORE_PASSWORD");
        }
        this.file = file.toAbsolutePath();
        this.passphrase = passphrase.clone();
        this.store = load();
    }

    /** The keystore file. */
    public Path file() {
        return file;
    }

    @Override
    public String kind() {
        return "pkcs12";
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public synchronized Optional<VaultKeyEntry> privateKeyEntry(String alias) {
        try {
            return VaultKeyEntry.of(store.getKey(alias, passphrase), store.getCertificateChain(alias));
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException("Cannot read key '" + alias + "' from keystore " + file, e);
        }
    }

    @Override
    public synchronized void storePrivateKeyEntry(String alias, PrivateKey key, List<X509Certificate> chain) {
        try {
            store.setKeyEntry(alias, key, passphrase, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException("Cannot store key '" + alias + "' in keystore " + file, e);
        }
        persist();
    }

    @Override
    public synchronized Optional<SecretKey> secretKey(String alias) {
        try {
            Key key = store.getKey(alias, passphrase);
            return key instanceof SecretKey ? Optional.of((SecretKey) key) : Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException("Cannot read secret key '" + alias + "' from keystore " + file, e);
        }
    }

    @Override
    public synchronized void storeSecretKey(String alias, SecretKey key) {
        try {
            store.setEntry(alias, new KeyStore.SecretKeyEntry(key), new KeyStore.PasswordProtection(passphrase));
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException("Cannot store secret key '" + alias + "' in keystore " + file, e);
        }
        persist();
    }

    @Override
    public synchronized Set<String> aliases() {
        try {
            return Collections.unmodifiableSet(new TreeSet<>(Collections.list(store.aliases())));
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException("Cannot list keystore " + file, e);
        }
    }

    @Override
    public synchronized void delete(String alias) {
        try {
            store.deleteEntry(alias);
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException("Cannot delete '" + alias + "' from keystore " + file, e);
        }
        persist();
    }

    private KeyStore load() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            if (!Files.exists(file)) {
                ks.load(null, null);
                return ks;
            }
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, passphrase);
            }
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new WrongKeystorePassphraseException(file, e);
            }
            throw new KeyVaultException("Cannot read keystore " + file + ": " + e.getMessage()
                    + " (is it a PKCS#12 file written by Fleetkey?)", e);
        } catch (GeneralSecurityException e) {
            throw new KeyVaultException("Cannot read keystore " + file + ": " + e.getMessage(), e);
        }
    }

    /** Written durably (see {@link DurableFiles}); on failure the in-memory store is reloaded so memory and disk agree. */
    private void persist() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, passphrase);
            DurableFiles.replace(file, out.toByteArray());
        } catch (IOException | GeneralSecurityException e) {
            store = load();
            throw new KeyVaultException("Cannot write keystore " + file + ": " + e.getMessage(), e);
        }
    }
}
