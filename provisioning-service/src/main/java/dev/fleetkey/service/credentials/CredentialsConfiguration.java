package dev.fleetkey.service.credentials;

import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.CertificateIssuer;
import dev.fleetkey.service.pki.CertificateProfile;
import dev.fleetkey.service.pki.KeyVault;
import dev.fleetkey.service.pki.P256Crypto;
import dev.fleetkey.service.pki.PublicBaseUrlProperties;
import dev.fleetkey.service.pki.SerialNumbers;
import java.security.SecureRandom;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the device credential issuers (which know nothing of Spring) on top of the PKI's beans. Uniqueness of
 * PSK identities comes from a {@link PskIdentityRegistry} bean backed by the database; without one this JVM's
 * memory is used, which is only safe for a single instance that never restarts, so it is logged.
 */
@Configuration(proxyBeanMethods = false)
public class CredentialsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CredentialsConfiguration.class);

    @Bean
    DeviceCredentialIssuer deviceCredentialIssuer(CertificateAuthorities cas, SerialNumbers serials,
            P256Crypto crypto, PublicBaseUrlProperties publicBaseUrl) {
        return new DeviceCredentialIssuer(new CertificateIssuer(cas::deviceCa,
                CertificateProfile.deviceClient(serials, Clock.systemUTC()), crypto), crypto,
                publicBaseUrl.crlUrl("device"));
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
