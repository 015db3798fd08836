package dev.fleetkey.service.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/**
 * A {@link KeyVault} in a PKCS#11 token, through the JDK's SunPKCS11 provider.
 *
 * <p>Private keys and the AES key-encryption key are generated inside the token as sensitive, non-extractable
 * token objects: the service holds only handles, and every signature, key agreement and AES-GCM operation runs in
 * the token. Keys imported from the company PKI are stored the same way (sensitive, non-extractable); HMAC keys
 * (the audit chain's, PSK batch masters) are imported readable, since a batch master is shared by design. The
 * provider is registered in {@link Security} under a name of its own, so JCA's delayed provider selection (a
 * {@code Cipher.getInstance("AES/GCM/NoPadding")} without a provider) finds it for the token's keys, and a
 * {@link TokenSignatureProvider} is registered first, so a {@code Signature.getInstance("SHA256withECDSA")}
 * without a provider (Scandium, BouncyCastle's builders) signs with a token key in the token; {@link #close}
 * removes both again.
 *
 * <p>Entries are the token's key store entries: a private key with its certificate chain (label = alias), or a
 * secret key. The PIN is kept (copied) only to re-open the store when another instance sharing the token has
 * added keys ({@link #refresh}); it is never logged and never part of a message.
 */
public final class Pkcs11KeyVault implements KeyVault, AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final String SENSITIVE = "  CKA_PRIVATE = true\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n";

    private final Provider provider;
    private final Provider signatures;
    private final String description;
    private final char[] pin;
    private KeyStore store;

    private Pkcs11KeyVault(Provider provider, Provider signatures, String description, char[] pin) {
        this.provider = provider;
        this.signatures = signatures;
        this.description = description;
        this.pin = pin.clone();
        this.store = load();
    }

    /**
     * Configures SunPKCS11 for the token, registers it and logs in.
     *
     * @param pin copied; the caller may wipe its array afterwards
     * @throws WrongPinException  if the token refuses the PIN
     * @throws KeyVaultException  if the module cannot be loaded or has no token at the slot
     */
    public static Pkcs11KeyVault open(KeysProperties.Pkcs11 settings, char[] pin) {
        String description = settings.library() + " " + settings.slotDescription();
        if (pin == null || pin.length == 0) {
            throw new KeyVaultException("No PIN for the PKCS#11 token (" + description + "): set the environment "
                    + "variable " + settings.pinVariable());
        }
        Provider provider = configure(settings, description);
        Provider signatures = new TokenSignatureProvider(provider);
        if (Security.addProvider(provider) < 0 || Security.insertProviderAt(signatures, 1) < 0) {
            Security.removeProvider(provider.getName());
            throw new KeyVaultException("A security provider named " + provider.getName() + " is already registered");
        }
        try {
            return new Pkcs11KeyVault(provider, signatures, description, pin);
        } catch (KeyVaultException e) {
            Security.removeProvider(provider.getName());
            Security.removeProvider(signatures.getName());
            throw e;
        }
    }

    /** The SunPKCS11 configuration: the module, the slot, and keys made in the token as sensitive token objects. */
    static String configuration(KeysProperties.Pkcs11 settings, String name) {
        return "--name = " + name + "\n"
                + "library = \"" + settings.library().toAbsolutePath() + "\"\n"
                + settings.slotSetting() + "\n"
                // keys are generated as session objects and become token objects only when the key store stores
                // them (with their certificate): the JDK hands EC key generation for curves SunEC lacks to this
                // provider (Scandium probes every curve at start), and those keys must not pile up in the token
                + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_TOKEN = false\n" + SENSITIVE + "}\n"
                + "attributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = false\n}\n"
                + "attributes(generate, CKO_SECRET_KEY, *) = {\n  CKA_TOKEN = false\n" + SENSITIVE + "}\n"
                + "attributes(import, CKO_PRIVATE_KEY, *) = {\n  CKA_TOKEN = true\n" + SENSITIVE + "}\n"
                // HMAC keys (audit chain, PSK batch masters) are imported as they are: a batch master is by design
                // handed to the DTLS servers that derive device keys, so it must stay readable
                + "attributes(import, CKO_SECRET_KEY, CKK_GENERIC_SECRET) = {\n  CKA_SENSITIVE = false\n"
                + "  CKA_EXTRACTABLE = true\n}\n";
    }

    private static Provider configure(KeysProperties.Pkcs11 settings, String description) {
        Provider unconfigured = Security.getProvider("SunPKCS11");
        if (unconfigured == null) {
            throw new KeyVaultException("This JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
        }
        String name = "fleetkey-" + INSTANCES.incrementAndGet();
        try {
            return unconfigured.configure(configuration(settings, name));
        } catch (ProviderException | IllegalArgumentException e) {
            throw new KeyVaultException("Cannot use the PKCS#11 token " + description + ": " + rootMessage(e)
                    + " (check fleetkey.keys.pkcs11.library and the slot)", e);
        }
    }

    /** The registered SunPKCS11 provider of this token. */
    public Provider provider() {
        return provider;
    }

    @Override
    public String kind() {
        return "pkcs11";
    }

    @Override
    public String location() {
        return description;
    }

    @Override
    public KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("The PKCS#11 token (" + description + ") cannot generate a P-256 key pair: "
                    + rootMessage(e), e);
        }
    }

    @Override
    public SecretKey generateAesKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
            generator.init(256);
            return generator.generateKey();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("The PKCS#11 token (" + description + ") cannot generate an AES-256 key: "
                    + rootMessage(e), e);
        }
    }

    @Override
    public synchronized Optional<VaultKeyEntry> privateKeyEntry(String alias) {
        try {
            return VaultKeyEntry.of(store.getKey(alias, null), store.getCertificateChain(alias));
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("Cannot read key '" + alias + "' from the PKCS#11 token (" + description
                    + "): " + rootMessage(e), e);
        }
    }

    @Override
    public synchronized void storePrivateKeyEntry(String alias, PrivateKey key, List<X509Certificate> chain) {
        try {
            store.setKeyEntry(alias, key, null, chain.toArray(new Certificate[0]));
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("Cannot store key '" + alias + "' in the PKCS#11 token (" + description
                    + "): " + rootMessage(e), e);
        }
    }

    @Override
    public synchronized Optional<SecretKey> secretKey(String alias) {
        try {
            Key key = store.getKey(alias, null);
            return key instanceof SecretKey ? Optional.of((SecretKey) key) : Optional.empty();
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("Cannot read secret key '" + alias + "' from the PKCS#11 token ("
                    + description + "): " + rootMessage(e), e);
        }
    }

    @Override
    public synchronized void storeSecretKey(String alias, SecretKey key) {
        try {
            store.setEntry(alias, new KeyStore.SecretKeyEntry(key), null);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("Cannot store secret key '" + alias + "' in the PKCS#11 token ("
                    + description + "): " + rootMessage(e), e);
        }
    }

    @Override
    public synchronized Set<String> aliases() {
        try {
            return Collections.unmodifiableSet(new TreeSet<>(Collections.list(store.aliases())));
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("Cannot list the PKCS#11 token (" + description + "): " + rootMessage(e), e);
        }
    }

    @Override
    public synchronized void delete(String alias) {
        try {
            store.deleteEntry(alias);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("Cannot delete '" + alias + "' from the PKCS#11 token (" + description
                    + "): " + rootMessage(e), e);
        }
    }

    /** Reads the token's entries again: another instance sharing the token may have added keys. */
    @Override
    public synchronized void refresh() {
        store = load();
    }

    /** Unregisters the provider; key objects of this vault are unusable afterwards. */
    @Override
    public void close() {
        Security.removeProvider(signatures.getName());
        Security.removeProvider(provider.getName());
    }

    private KeyStore load() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS11", provider);
            ks.load(null, pin);
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new WrongPinException(description);
            }
            throw new KeyVaultException("Cannot open the PKCS#11 token (" + description + "): " + rootMessage(e), e);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new KeyVaultException("Cannot open the PKCS#11 token (" + description + "): " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** The token refused the PIN. The message names the token, never the PIN. */
    public static final class WrongPinException extends KeyVaultException {

        WrongPinException(String token) {
            super("The PKCS#11 token (" + token + ") refused the PIN");
        }
    }
}
