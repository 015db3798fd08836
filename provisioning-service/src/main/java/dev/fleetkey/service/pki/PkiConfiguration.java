package dev.fleetkey.service.pki;

import dev.fleetkey.bundle.BundleSigner;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.fleetkey.service.endpoint.DeviceEndpointProperties;
import dev.fleetkey.service.endpoint.EndpointCredentialSource;
import dev.fleetkey.service.endpoint.EndpointCredentials;
import dev.fleetkey.service.system.FleetkeyProperties;
import dev.fleetkey.service.system.KeystorePassword;
import dev.fleetkey.service.system.StartupProblem;

/**
 * Wires the PKI classes (which know nothing of Spring) as beans.
 *
 * <p>Keys ({@link KeysProperties}): by default {@code <fleetkey.data-dir>/keystore.p12}, passphrase from the
 * environment variable {@code FLEETKEY_KEYSTORE_PASSWORD} (read once, by the {@link KeystorePassword} bean); with
 * {@code fleetkey.keys.provider=pkcs11} a PKCS#11 token, its PIN from the environment variable
 * {@code fleetkey.keys.pkcs11.pin-variable} names. Keys are opened or made on first start under the database's
 * {@link KeySetupLock}, so instances starting together on one database and one token make one hierarchy. Uniqueness of serials comes
 * from a {@link SerialRegistry} bean backed by the database; without it this JVM's memory is used, which is only
 * safe for a single instance that never restarts, so it is logged. The device credential issuers built on these
 * beans are wired by {@code credentials.CredentialsConfiguration}; the device endpoint's identity is wired here,
 * as the PKI's adapter to the endpoint's port.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({FleetkeyProperties.class, PkiProperties.class, KeysProperties.class,
        PublicBaseUrlProperties.class, DeviceEndpointProperties.class})
public class PkiConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PkiConfiguration.class);
    /** The keystore's file name under the data directory. */
    public static final String KEYSTORE_FILE = "keystore.p12";

    @Bean
    P256Crypto p256Crypto() {
        return P256Crypto.preferred();
    }

    /**
     * The one key store of the service: the PKCS#12 file (its passphrase from the {@link KeystorePassword} bean,
     * which warns loudly when the development default is in use) or the PKCS#11 token.
     */
    @Bean
    KeyVault keyVault(KeysProperties keys, FleetkeyProperties properties, ObjectProvider<KeystorePassword> password,
            Environment environment) {
        return keys.provider() == KeysProperties.Provider.PKCS11 ? tokenVault(keys.pkcs11(), environment)
                : fileVault(properties, password.getObject());
    }

    private static KeyVault tokenVault(KeysProperties.Pkcs11 token, Environment environment) {
        String value = environment.getProperty(token.pinVariable());
        char[] pin = value == null ? new char[0] : value.toCharArray();
        try {
            Pkcs11KeyVault vault = Pkcs11KeyVault.open(token, pin);
            log.info("Keys in the PKCS#11 token {}", vault.location());
            return vault;
        } catch (Pkcs11KeyVault.WrongPinException e) {
            throw new StartupProblem(e.getMessage(), "Set " + token.pinVariable() + " to the token's user PIN (the "
                    + "one given to softhsm2-util --init-token --pin, or your HSM's crypto-user PIN).", e);
        } catch (KeyVaultException e) {
            throw new StartupProblem(e.getMessage(), "Check fleetkey.keys.pkcs11.library (the PKCS#11 module), "
                    + "fleetkey.keys.pkcs11.slot or slot-list-index (an initialised token), and " + token.pinVariable()
                    + " (its user PIN).", e);
        } finally {
            java.util.Arrays.fill(pin, '\0');
        }
    }

    private static KeyVault fileVault(FleetkeyProperties properties, KeystorePassword password) {
        Path file = properties.dataFile(KEYSTORE_FILE);
        char[] passphrase = password.value();
        try {
            return new Pkcs12KeyVault(file, passphrase);
        } catch (WrongKeystorePassphraseException e) {
            throw new StartupProblem("Cannot open " + file.toAbsolutePath() + ": FLEETKEY_KEYSTORE_PASSWORD is not the "
                    + "password it was created with", "Set FLEETKEY_KEYSTORE_PASSWORD to the password the file was "
                    + "created with.", e);
        } catch (KeyVaultException e) {
            throw new StartupProblem(e.getMessage(), "Make fleetkey.data-dir readable and writable for the service, "
                    + "and " + KEYSTORE_FILE + " a PKCS#12 keystore.", e);
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }

    @Bean
    SerialNumbers serialNumbers(P256Crypto crypto, ObjectProvider<SerialRegistry> registry) {
        return new SerialNumbers(crypto.random(), registry.getIfAvailable(() -> {
            log.warn("No database-backed SerialRegistry: certificate serial uniqueness is checked in memory only");
            return SerialRegistry.inMemory();
        }));
    }

    @Bean
    CertificateAuthorities certificateAuthorities(KeyVault vault, P256Crypto crypto, SerialNumbers serials,
            PkiProperties properties, ObjectProvider<KeySetupLock> setup) {
        Supplier<CertificateAuthorities> open = () -> CertificateAuthorities.openOrCreate(vault, crypto, serials,
                Clock.systemUTC(), properties.organization());
        KeySetupLock lock = setup.getIfAvailable();
        return lock == null ? open.get() : lock.openHierarchy(vault, open);
    }

    /**
     * The one signer of everything the service signs for devices and stations (bundles, batch
     * manifests, update packages); it embeds its certificate so {@code openssl cms -verify} needs
     * only the trust anchor.
     */
    @Bean
    BundleSigner bundleSigner(CertificateAuthorities authorities) {
        BundleSigningIdentity identity = authorities.bundleSigner();
        return new BundleSigner(identity.privateKey(), identity.certificate(), true);
    }

    @Bean
    SecretSealer secretSealer(KeyVault vault, P256Crypto crypto, ObjectProvider<KeySetupLock> setup) {
        return holding(setup, vault, () -> new SecretSealer(vault, crypto.random()));
    }

    @Bean
    DevicePublicKeys devicePublicKeys(P256Crypto crypto) {
        return new DevicePublicKeys(crypto);
    }

    @Bean
    ServerCredentialIssuer serverCredentialIssuer(CertificateAuthorities cas, SerialNumbers serials,
            P256Crypto crypto) {
        return new ServerCredentialIssuer(new CertificateIssuer(cas::serverCa,
                CertificateProfile.server(serials, Clock.systemUTC()), crypto), crypto);
    }

    @Bean
    ServerCredentialStore serverCredentialStore(KeyVault vault, ServerCredentialIssuer issuer, P256Crypto crypto,
            ObjectProvider<KeySetupLock> setup) {
        return new ServerCredentialStore(vault, issuer, crypto, Clock.systemUTC(), setup.getIfAvailable());
    }

    @Bean
    EndpointServerCredentials endpointServerCredentials(ServerCredentialStore store, CertificateAuthorities cas,
            DeviceEndpointProperties endpoint) {
        return new EndpointServerCredentials(store, cas, endpoint.serverName(), endpoint.host());
    }

    /**
     * The device endpoint's identity for the ECDHE modes, from the same server credential device bundles name
     * for the endpoint's server. Read at start and again on every poll of the endpoint, so a rotation or a
     * renewal is served without a restart.
     */
    @Bean
    @ConditionalOnProperty(prefix = "fleetkey.device-endpoint", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    EndpointCredentialSource endpointCredentials(EndpointServerCredentials server, KeyVault vault,
            ObjectProvider<KeySetupLock> setup) {
        EndpointCredentialSource source = () -> new EndpointCredentials(server.privateKey(), server.publicKey(),
                server.certificateChain(), server.deviceCaChain().subList(0, server.deviceCaChain().size() - 1));
        // under the lock, so instances starting together issue the endpoint's server credential once
        holding(setup, vault, source::current);
        return source;
    }

    private static <T> T holding(ObjectProvider<KeySetupLock> setup, KeyVault vault, Supplier<T> work) {
        KeySetupLock lock = setup.getIfAvailable();
        return lock == null ? work.get() : lock.holding(vault, work);
    }
}
