package dev.fleetkey.service.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * The service's CA hierarchy and bundle-signing identity, kept in a {@link KeyVault}.
 *
 * <p>Hierarchy: a self-signed root (pathLen 1) signs a device issuing CA and a server issuing CA
 * (pathLen 0 each); all ECDSA P-256 / SHA-256 with keyCertSign + cRLSign and key identifiers. The bundle
 * signer is separate from the hierarchy: a self-signed P-256 certificate that is itself the trust anchor
 * devices hold for bundles, so the CA keys never sign bundles and the bundle key never signs certificates.
 *
 * <p>{@link #openOrCreate} creates whatever is missing on first start and reuses it afterwards.
 */
public final class CertificateAuthorities {

    public static final String ROOT_ALIAS = "fleetkey-root-ca";
    public static final String DEVICE_CA_ALIAS = "fleetkey-device-ca";
    public static final String SERVER_CA_ALIAS = "fleetkey-server-ca";
    public static final String BUNDLE_SIGNER_ALIAS = "fleetkey-bundle-signer";

    static final Duration ROOT_LIFETIME = Duration.ofDays(25 * 365L);
    static final Duration ISSUING_CA_LIFETIME = Duration.ofDays(15 * 365L);
    static final Duration BUNDLE_SIGNER_LIFETIME = Duration.ofDays(25 * 365L);
    /** Certificates start a little in the past so a device whose clock is slightly behind accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private final KeyVault vault;
    private final P256Crypto crypto;
    // replaced together (under this object's lock) when an admin imports a hierarchy; read without locking
    private volatile IssuingCa deviceCa;
    private volatile IssuingCa serverCa;
    private final BundleSigningIdentity bundleSigner;

    private CertificateAuthorities(KeyVault vault, P256Crypto crypto, IssuingCa deviceCa, IssuingCa serverCa,
            BundleSigningIdentity bundleSigner) {
        this.vault = vault;
        this.crypto = crypto;
        this.deviceCa = deviceCa;
        this.serverCa = serverCa;
        this.bundleSigner = bundleSigner;
    }

    /**
     * Loads the hierarchy and bundle signer from {@code vault}, creating them if the vault has none.
     *
     * @param organization the O= attribute of the names of certificates created here
     * @throws KeyVaultException if the vault holds only part of a hierarchy (names the missing aliases)
     */
    public static CertificateAuthorities openOrCreate(KeyVault vault, P256Crypto crypto, SerialNumbers serials,
            Clock clock, String organization) {
        CaCertificateFactory factory = new CaCertificateFactory(crypto, serials);
        Instant now = clock.instant();
        Optional<VaultKeyEntry> root = vault.privateKeyEntry(ROOT_ALIAS);
        Optional<VaultKeyEntry> device = vault.privateKeyEntry(DEVICE_CA_ALIAS);
        Optional<VaultKeyEntry> server = vault.privateKeyEntry(SERVER_CA_ALIAS);
        if (root.isEmpty() && device.isEmpty() && server.isEmpty()) {
            root = Optional.of(createRoot(vault, crypto, factory, now, organization));
        }
        // with the root key at hand, a missing issuing CA (first start, or a crash during it) is created
        if (root.isPresent()) {
            IssuingCa rootCa = new IssuingCa(root.get().privateKey(), root.get().chain());
            if (device.isEmpty()) {
                device = Optional.of(createIssuingCa(vault, crypto, factory, rootCa, DEVICE_CA_ALIAS,
                        name("Fleetkey Device CA", organization), now));
            }
            if (server.isEmpty()) {
                server = Optional.of(createIssuingCa(vault, crypto, factory, rootCa, SERVER_CA_ALIAS,
                        name("Fleetkey Server CA", organization), now));
            }
        }
        if (device.isEmpty() || server.isEmpty()) {
            throw new KeyVaultException("The keystore holds only part of a CA hierarchy (device CA "
                    + (device.isPresent() ? "present" : "missing") + ", server CA "
                    + (server.isPresent() ? "present" : "missing") + ", root key offline): restore the keystore "
                    + "from a backup or import a complete hierarchy into a new data directory");
        }
        BundleSigningIdentity signer = vault.privateKeyEntry(BUNDLE_SIGNER_ALIAS)
                .map(e -> new BundleSigningIdentity(crypto.importPrivateKey(e.privateKey()), e.certificate()))
                .orElseGet(() -> createBundleSigner(vault, crypto, factory, now, organization));
        return new CertificateAuthorities(vault, crypto, issuingCa(crypto, device.get()), issuingCa(crypto,
                server.get()), signer);
    }

    /**
     * Stores an existing hierarchy (e.g. from the company PKI) in an empty vault and opens it; a bundle
     * signer is created if the vault has none.
     *
     * @throws CaImportException if the vault already holds a hierarchy
     */
    public static CertificateAuthorities importHierarchy(KeyVault vault, P256Crypto crypto, SerialNumbers serials,
            Clock clock, CaHierarchyImport imported, String organization) throws CaImportException {
        if (Stream.of(ROOT_ALIAS, DEVICE_CA_ALIAS, SERVER_CA_ALIAS).anyMatch(vault.aliases()::contains)) {
            throw new CaImportException("The keystore already holds a CA hierarchy; import only into a new "
                    + "data directory so certificates already issued stay verifiable");
        }
        if (imported.rootKey() != null) {
            vault.storePrivateKeyEntry(ROOT_ALIAS, imported.rootKey(), List.of(imported.root()));
        }
        vault.storePrivateKeyEntry(DEVICE_CA_ALIAS, imported.deviceCa().privateKey(), imported.deviceCa().chain());
        vault.storePrivateKeyEntry(SERVER_CA_ALIAS, imported.serverCa().privateKey(), imported.serverCa().chain());
        return openOrCreate(vault, crypto, serials, clock, organization);
    }

    /**
     * Replaces the hierarchy this service issues from with an imported one (e.g. from the company PKI).
     * Only the caller knows whether certificates from the current hierarchy are in use; it must check that
     * none is before calling. The bundle signer is kept.
     */
    public synchronized void replaceWith(CaHierarchyImport imported) {
        for (String alias : List.of(ROOT_ALIAS, DEVICE_CA_ALIAS, SERVER_CA_ALIAS)) {
            if (vault.aliases().contains(alias)) {
                vault.delete(alias);
            }
        }
        if (imported.rootKey() != null) {
            vault.storePrivateKeyEntry(ROOT_ALIAS, imported.rootKey(), List.of(imported.root()));
        }
        vault.storePrivateKeyEntry(DEVICE_CA_ALIAS, imported.deviceCa().privateKey(), imported.deviceCa().chain());
        vault.storePrivateKeyEntry(SERVER_CA_ALIAS, imported.serverCa().privateKey(), imported.serverCa().chain());
        // read back, so a token vault signs with the copy inside the token
        this.deviceCa = issuingCa(crypto, stored(vault, DEVICE_CA_ALIAS));
        this.serverCa = issuingCa(crypto, stored(vault, SERVER_CA_ALIAS));
    }

    /** The self-signed root: the trust anchor for device and server certificates. */
    public X509Certificate rootCertificate() {
        return deviceCa.root();
    }

    /** The CA that signs device client certificates. */
    public IssuingCa deviceCa() {
        return deviceCa;
    }

    /** The CA that signs server certificates. */
    public IssuingCa serverCa() {
        return serverCa;
    }

    /** The bundle-signing key and its self-signed certificate. */
    public BundleSigningIdentity bundleSigner() {
        return bundleSigner;
    }

    /** Whether the root's private key is still in the vault (false once taken offline or never imported). */
    public boolean rootKeyOnline() {
        return vault.privateKeyEntry(ROOT_ALIAS).isPresent();
    }

    /**
     * The root's private key as an encrypted PKCS#8 PEM ({@code ENCRYPTED PRIVATE KEY}, PBES2 with
     * AES-256-CBC), readable by {@code openssl pkey -in root-key.pem}, so it can be stored offline.
     *
     * @throws IllegalStateException if the root key is not in the vault
     */
    public String exportRootKey(char[] passphrase) {
        if (passphrase == null || passphrase.length < 8) {
            throw new IllegalArgumentException("Choose an export passphrase of at least 8 characters");
        }
        PrivateKey key = vault.privateKeyEntry(ROOT_ALIAS).map(VaultKeyEntry::privateKey)
                .orElseThrow(() -> new IllegalStateException("The root CA key is not in the keystore (taken offline "
                        + "or never imported), so there is nothing to export"));
        if (P256Crypto.inToken(key)) {
            throw new IllegalStateException("The root CA key is in the PKCS#11 token and cannot leave it: back up "
                    + "the token (or keep the root in an offline HSM) instead of exporting the key");
        }
        return encryptedPem(key, passphrase, crypto);
    }

    /**
     * {@code key} as an encrypted PKCS#8 PEM (PBES2, AES-256-CBC, 600,000 PBKDF2 iterations), readable by
     * {@code openssl pkey}.
     */
    static String encryptedPem(PrivateKey key, char[] passphrase, P256Crypto crypto) {
        if (passphrase == null || passphrase.length < 8) {
            throw new IllegalArgumentException("Choose an export passphrase of at least 8 characters");
        }
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(P256Crypto.bouncyCastle()).setRandom(crypto.random()).setPassword(passphrase)
                    .setIterationCount(600_000).build();
            StringWriter pem = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
                writer.writeObject(new JcaPKCS8Generator(key, encryptor));
            }
            return pem.toString();
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("Cannot encrypt the private key for export", e);
        }
    }

    /** The crypto the hierarchy signs with. */
    P256Crypto crypto() {
        return crypto;
    }

    /** Removes the root key from the vault after it has been exported; issuing CAs keep working. */
    public void takeRootKeyOffline() {
        vault.delete(ROOT_ALIAS);
    }

    private static VaultKeyEntry createRoot(KeyVault vault, P256Crypto crypto, CaCertificateFactory factory,
            Instant now, String organization) {
        KeyPair keys = vault.generateKeyPair();
        X509Certificate root = factory.root(keys, name("Fleetkey Root CA", organization), now.minus(BACKDATE),
                now.plus(ROOT_LIFETIME), 1);
        vault.storePrivateKeyEntry(ROOT_ALIAS, keys.getPrivate(), List.of(root));
        return new VaultKeyEntry(keys.getPrivate(), List.of(root));
    }

    private static VaultKeyEntry createIssuingCa(KeyVault vault, P256Crypto crypto, CaCertificateFactory factory,
            IssuingCa root, String alias, X500Name subject, Instant now) {
        KeyPair keys = vault.generateKeyPair();
        X509Certificate cert = factory.subordinate(root, keys.getPublic(), subject, now.minus(BACKDATE),
                now.plus(ISSUING_CA_LIFETIME), 0);
        List<X509Certificate> chain = List.of(cert, root.certificate());
        vault.storePrivateKeyEntry(alias, keys.getPrivate(), chain);
        return new VaultKeyEntry(keys.getPrivate(), chain);
    }

    private static BundleSigningIdentity createBundleSigner(KeyVault vault, P256Crypto crypto,
            CaCertificateFactory factory, Instant now, String organization) {
        KeyPair keys = vault.generateKeyPair();
        X509Certificate cert = factory.bundleSigner(keys, name("Fleetkey Bundle Signer", organization),
                now.minus(BACKDATE), now.plus(BUNDLE_SIGNER_LIFETIME));
        vault.storePrivateKeyEntry(BUNDLE_SIGNER_ALIAS, keys.getPrivate(), List.of(cert));
        return new BundleSigningIdentity(keys.getPrivate(), cert);
    }

    private static VaultKeyEntry stored(KeyVault vault, String alias) {
        return vault.privateKeyEntry(alias).orElseThrow(() -> new KeyVaultException("The key store (" + vault.location()
                + ") lost '" + alias + "' right after storing it"));
    }

    private static IssuingCa issuingCa(P256Crypto crypto, VaultKeyEntry entry) {
        return new IssuingCa(crypto.importPrivateKey(entry.privateKey()), entry.chain());
    }

    private static X500Name name(String commonName, String organization) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        if (organization != null && !organization.isBlank()) {
            builder.addRDN(BCStyle.O, organization);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }
}
