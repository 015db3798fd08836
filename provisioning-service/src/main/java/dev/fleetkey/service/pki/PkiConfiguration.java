package dev.fleetkey.service.pki;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.fleetkey.service.credentials.DeviceCredentialIssuer;
import dev.fleetkey.service.credentials.PskBatchKeys;
import dev.fleetkey.service.credentials.PskIdentityGenerator;
import dev.fleetkey.service.credentials.PskIdentityRegistry;
import dev.fleetkey.service.credentials.PskIssuer;
import dev.fleetkey.service.credentials.PskKeyGenerator;

/**
 * Wires the PKI and credential classes (which know nothing of Spring) as beans.
 *
 * <p>Keystore: {@code <fleetkey.data-dir>/keystore.p12}, passphrase from {@code fleetkey.keystore-password}
 * (environment {@code FLEETKEY_KEYSTORE_PASSWORD}). Uniqueness of serials and PSK identities comes from
 * {@link SerialRegistry} and {@link PskIdentityRegistry} beans backed by the database; without them this
 * JVM's memory is used, which is only safe for a single instance that never restarts, so it is logged.
 */
@Configuration(proxyBeanMethods = false)
public class PkiConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PkiConfiguration.class);
    static final String DEVELOPMENT_PASSPHRASE = "fleetkey-development-only";

    @Bean
    P256Crypto p256Crypto() {
        return P256Crypto.preferred();
    }

    @Bean
    KeyVault keyVault(@Value("${fleetkey.data-dir:./data}") Path dataDir,
            @Value("${fleetkey.keystore-password:}") String passphrase) {
        if (passphrase.isEmpty()) {
            log.warn("*** FLEETKEY_KEYSTORE_PASSWORD is not set: the keystore {} is protected by a development "
                    + "passphrase known to everyone. Set FLEETKEY_KEYSTORE_PASSWORD before creating real keys. ***",
                    dataDir.resolve("keystore.p12").toAbsolutePath());
            passphrase = DEVELOPMENT_PASSPHRASE;
        }
        return new Pkcs12KeyVault(dataDir.resolve("keystore.p12"), passphrase.toCharArray());
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
            @Value("${fleetkey.pki.organization:Fleetkey}") String organization) {
        return CertificateAuthorities.openOrCreate(vault, crypto, serials, Clock.systemUTC(), organization);
    }

    @Bean
    SecretSealer secretSealer(KeyVault vault, P256Crypto crypto) {
        return new SecretSealer(vault, crypto.random());
    }

    @Bean
    DevicePublicKeys devicePublicKeys(P256Crypto crypto) {
        return new DevicePublicKeys(crypto);
    }

    @Bean
    DeviceCredentialIssuer deviceCredentialIssuer(CertificateAuthorities cas, SerialNumbers serials,
            P256Crypto crypto) {
        return new DeviceCredentialIssuer(new CertificateIssuer(cas.deviceCa(),
                CertificateProfile.deviceClient(serials, Clock.systemUTC()), crypto), crypto);
    }

    @Bean
    ServerCredentialIssuer serverCredentialIssuer(CertificateAuthorities cas, SerialNumbers serials,
            P256Crypto crypto) {
        return new ServerCredentialIssuer(new CertificateIssuer(cas.serverCa(),
                CertificateProfile.server(serials, Clock.systemUTC()), crypto), crypto);
    }

    @Bean
    PskIssuer pskIssuer(ObjectProvider<PskIdentityRegistry> registry) {
        return new PskIssuer(PskKeyGenerator.strong(), new PskIdentityGenerator(new SecureRandom()),
                registry.getIfAvailable(() -> {
                    log.warn("No database-backed PskIdentityRegistry: PSK identity uniqueness is checked in memory only");
                    return PskIdentityRegistry.inMemory();
                }));
    }

    @Bean
    PskBatchKeys pskBatchKeys(KeyVault vault, P256Crypto crypto) {
        return new PskBatchKeys(vault, crypto.random());
    }
}
