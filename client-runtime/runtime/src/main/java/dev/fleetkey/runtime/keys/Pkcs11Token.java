package dev.fleetkey.runtime.keys;

import dev.fleetkey.runtime.state.RenewedCredential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keys that never leave a PKCS#11 token (a secure element; SoftHSM2 in tests), used through SunPKCS11. A key is
 * found by its label as a key-store entry, which SunPKCS11 shows only for a private key stored with its
 * certificate: {@link #keep} stores both. New keys are made in the token as sensitive, non-extractable token
 * objects. The PIN is used to log in and then wiped.
 */
public final class Pkcs11Token implements DeviceKeyStore {

    private final Provider provider;
    private final KeyStore keyStore;
    private final String bundleKeyLabel;

    private Pkcs11Token(Provider provider, KeyStore keyStore, String bundleKeyLabel) {
        this.provider = provider;
        this.keyStore = keyStore;
        this.bundleKeyLabel = bundleKeyLabel;
    }

    /**
     * Logs in to the token labelled {@code tokenLabel} of the PKCS#11 module at {@code module}.
     *
     * @param bundleKeyLabel the label of the key certified by the device bundle's certificate, or null when the
     *                       bundle carries that key itself
     * @param pin            the user PIN; wiped before this returns
     * @throws DeviceKeyException the module does not load, no such token, or the PIN is refused
     */
    public static Pkcs11Token open(Path module, String tokenLabel, String bundleKeyLabel, char[] pin)
            throws DeviceKeyException {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(tokenLabel, "tokenLabel");
        try {
            if (!Files.isRegularFile(module)) {
                throw new DeviceKeyException("the PKCS#11 module " + module + " does not exist: check --pkcs11-module");
            }
            long slot = TokenSlots.slotOf(module, tokenLabel);
            String config = "--name = fleetkey-" + slot + "\nlibrary = " + module.toAbsolutePath() + "\nslot = " + slot
                    + "\nattributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_TOKEN = true\n  CKA_SENSITIVE = true\n"
                    + "  CKA_EXTRACTABLE = false\n}\nattributes(generate, CKO_PUBLIC_KEY, *) = {\n  CKA_TOKEN = true\n}\n";
            Provider provider;
            try {
                provider = Security.getProvider("SunPKCS11").configure(config);
            } catch (ProviderException | IllegalArgumentException e) {
                throw new DeviceKeyException("SunPKCS11 cannot use token '" + tokenLabel + "' of " + module + ": "
                        + e.getMessage(), e);
            }
            Security.addProvider(provider);
            TokenSignatures.install(provider);
            KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
            try {
                keyStore.load(null, pin);
            } catch (IOException e) {
                throw new DeviceKeyException("token '" + tokenLabel + "' refused the PIN (or cannot be logged in to):"
                        + " check the PIN variable", e);
            }
            Pkcs11Token token = new Pkcs11Token(provider, keyStore, bundleKeyLabel);
            if (bundleKeyLabel != null) {
                token.key(bundleKeyLabel);
            }
            return token;
        } catch (GeneralSecurityException e) {
            throw new DeviceKeyException("token '" + tokenLabel + "' cannot be opened: " + e.getMessage(), e);
        } finally {
            if (pin != null) {
                java.util.Arrays.fill(pin, '\0');
            }
        }
    }

    @Override
    public NewKey generate() throws DeviceKeyException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new NewKey(pair.getPublic(), pair.getPrivate(), provider);
        } catch (GeneralSecurityException | ProviderException e) {
            throw new DeviceKeyException("the token cannot make a P-256 key pair: " + e.getMessage(), e);
        }
    }

    /** Stores the new key with its chain under a new label: {@code fleetkey-}, the time, and the leaf's serial. */
    @Override
    public RenewedCredential keep(NewKey key, String deviceBundleId, List<X509Certificate> chain)
            throws DeviceKeyException {
        String serial = chain.get(0).getSerialNumber().toString(16);
        String label = "fleetkey-" + Instant.now().getEpochSecond() + "-" + serial.substring(0, Math.min(8, serial.length()));
        try {
            keyStore.setKeyEntry(label, key.privateKey(), null, chain.toArray(new X509Certificate[0]));
        } catch (GeneralSecurityException | ProviderException e) {
            throw new DeviceKeyException("the token cannot store the renewed certificate with its key: "
                    + e.getMessage(), e);
        }
        return RenewedCredential.token(deviceBundleId, label, chain);
    }

    @Override
    public PrivateKey privateKey(RenewedCredential credential) throws DeviceKeyException {
        if (!credential.inToken()) {
            throw new DeviceKeyException("the renewed certificate's key is a software key in the state directory,"
                    + " not in the token: run without the PKCS#11 options");
        }
        return key(credential.tokenKeyLabel());
    }

    @Override
    public Optional<PrivateKey> bundleKey() throws DeviceKeyException {
        return bundleKeyLabel == null ? Optional.empty() : Optional.of(key(bundleKeyLabel));
    }

    @Override
    public void remove(RenewedCredential old) throws DeviceKeyException {
        if (old.inToken()) {
            deleteEntry(old.tokenKeyLabel());
        }
    }

    /** Deletes the bundle's key from the token, once a renewed certificate has replaced it. */
    public void removeBundleKey() throws DeviceKeyException {
        if (bundleKeyLabel != null) {
            deleteEntry(bundleKeyLabel);
        }
    }

    private void deleteEntry(String label) throws DeviceKeyException {
        try {
            if (keyStore.containsAlias(label)) {
                keyStore.deleteEntry(label);
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw new DeviceKeyException("the old key '" + label + "' cannot be removed from the token: "
                    + e.getMessage(), e);
        }
    }

    private PrivateKey key(String label) throws DeviceKeyException {
        try {
            Key key = keyStore.getKey(label, null);
            if (key instanceof PrivateKey privateKey) {
                return privateKey;
            }
        } catch (GeneralSecurityException | ProviderException e) {
            throw new DeviceKeyException("key '" + label + "' cannot be read from the token: " + e.getMessage(), e);
        }
        throw new DeviceKeyException("the token holds no private key labelled '" + label + "' with its certificate:"
                + " check --pkcs11-key (SunPKCS11 finds a key only stored together with its certificate)");
    }

    @Override
    public String toString() {
        return "Pkcs11Token[" + provider.getName() + "]";
    }
}
