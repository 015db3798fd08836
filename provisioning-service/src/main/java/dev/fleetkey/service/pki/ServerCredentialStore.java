package dev.fleetkey.service.pki;

import dev.fleetkey.bundle.Certificates;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The credentials of the DTLS servers templates name, kept in the {@link KeyVault} under
 * {@code fleetkey-dtls-server-<name>}: a P-256 key and a certificate from the server CA naming the server's
 * FQDN. The same key serves a server in raw-public-key mode (devices pin its SubjectPublicKeyInfo), so a
 * server has one key whichever mode a template gives it.
 *
 * <p>Issued on first need; reissued when the FQDN a template gives no longer matches the certificate, when
 * it expires within {@link #RENEW_BEFORE}, or when an admin rotates it.
 *
 * <p>Instances sharing one key store (a PKCS#11 token) see each other's server credentials: a credential is issued
 * under the {@link KeySetupLock} after re-reading the store, so two instances needing a new server at once make one
 * key, and what this instance read is read again when older than {@link #FRESH}, so a rotation on another instance
 * reaches this one within that time.
 */
public final class ServerCredentialStore {

    static final String ALIAS_PREFIX = "fleetkey-dtls-server-";
    static final Duration VALIDITY = Duration.ofDays(825);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    static final Duration FRESH = Duration.ofSeconds(10);

    private final KeyVault vault;
    private final ServerCredentialIssuer issuer;
    private final P256Crypto crypto;
    private final Clock clock;
    private final KeySetupLock setup;
    // opening a PKCS#12 entry runs a password-based KDF; bundles ask for server keys on every download
    private final Map<String, Read> cache = new ConcurrentHashMap<>();
    private volatile Instant storeReadAt = Instant.EPOCH;

    private record Read(ServerCredential credential, Instant at) {
    }

    /** A store for one instance alone: nothing to share with. */
    public ServerCredentialStore(KeyVault vault, ServerCredentialIssuer issuer, P256Crypto crypto, Clock clock) {
        this(vault, issuer, crypto, clock, null);
    }

    /** @param setup the lock instances sharing {@code vault} take before making a key, or null for one instance */
    public ServerCredentialStore(KeyVault vault, ServerCredentialIssuer issuer, P256Crypto crypto, Clock clock,
            KeySetupLock setup) {
        this.vault = vault;
        this.issuer = issuer;
        this.crypto = crypto;
        this.clock = clock;
        this.setup = setup;
    }

    /** The server's credential for {@code fqdn}, issued now if there is none usable. */
    public synchronized ServerCredential credentialFor(String name, String fqdn) {
        return usable(name, fqdn).orElseGet(() -> shared(() -> {
            // another instance may have issued it while this one waited for the lock
            cache.remove(name);
            return usable(name, fqdn).orElseGet(() -> issue(name, fqdn));
        }));
    }

    private Optional<ServerCredential> usable(String name, String fqdn) {
        return find(name).filter(c -> names(c.certificate(), fqdn) && !expiresSoon(c.certificate()));
    }

    private <T> T shared(Supplier<T> work) {
        return setup == null ? work.get() : setup.holding(vault, work);
    }

    /**
     * A new key and certificate for the server, replacing any it had (rotation). Devices that pinned the
     * old raw key need a new bundle.
     *
     * @throws IllegalArgumentException for a bad server name or FQDN (the message names the rule)
     */
    public synchronized ServerCredential issue(String name, String fqdn) {
        String alias = alias(name);
        ServerCredential credential = issuer.issueServerCertificate(fqdn, VALIDITY, vault.generateKeyPair());
        vault.storePrivateKeyEntry(alias, credential.privateKey(), credential.chain());
        cache.put(name, new Read(credential, clock.instant()));
        return credential;
    }

    /** The server's stored credential, if it has one. */
    public Optional<ServerCredential> find(String name) {
        String alias = alias(name);
        Instant now = clock.instant();
        Read cached = cache.get(name);
        if (cached != null && cached.at().plus(FRESH).isAfter(now)) {
            return Optional.of(cached.credential());
        }
        if (storeReadAt.plus(FRESH).isBefore(now)) {
            // what another instance sharing the store added or replaced since this one last read it
            vault.refresh();
            storeReadAt = now;
        }
        Optional<ServerCredential> stored = vault.privateKeyEntry(alias).map(e -> cached != null
                && cached.credential().chain().equals(e.chain()) ? cached.credential()
                : new ServerCredential(crypto.importPrivateKey(e.privateKey()), e.chain()));
        stored.ifPresentOrElse(c -> cache.put(name, new Read(c, now)), () -> cache.remove(name));
        return stored;
    }

    /** Whether any server credential exists. */
    public boolean anyIssued() {
        return vault.aliases().stream().anyMatch(a -> a.startsWith(ALIAS_PREFIX));
    }

    /** Deletes every server credential, e.g. after a new CA hierarchy was imported; each is reissued on need. */
    public synchronized void deleteAll() {
        vault.aliases().stream().filter(a -> a.startsWith(ALIAS_PREFIX)).toList().forEach(vault::delete);
        cache.clear();
    }

    /** The server's key as a raw public key (RFC 7250), issued now if there is none. */
    public ServerRawPublicKey rawPublicKeyFor(String name, String fqdn) {
        ServerCredential credential = credentialFor(name, fqdn);
        return new ServerRawPublicKey(credential.privateKey(), credential.certificate().getPublicKey());
    }

    private boolean expiresSoon(X509Certificate certificate) {
        return certificate.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE));
    }

    private static boolean names(X509Certificate certificate, String fqdn) {
        try {
            return Certificates.alternativeNames(certificate, Certificates.DNS_NAME)
                    .contains(fqdn.toLowerCase(Locale.ROOT));
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static String alias(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Server name '" + name + "' is invalid: use 1-64 characters of a-z, 0-9 "
                    + "and '-', as in the template's servers[].name");
        }
        return ALIAS_PREFIX + name;
    }
}
