package dev.fleetkey.service.system;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Secrets come only from the environment, never from a committed file: {@code FLEETKEY_ADMIN_PASSWORD}
 * and {@code FLEETKEY_KEYSTORE_PASSWORD}. They are read through Spring's {@link Environment} so a test
 * can supply them as properties; {@code application.yml} never names them.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceSecrets {

    static final String ADMIN_PASSWORD = "FLEETKEY_ADMIN_PASSWORD";
    static final String KEYSTORE_PASSWORD = "FLEETKEY_KEYSTORE_PASSWORD";
    /** Only ever used when the operator set nothing; the warning below says so loudly. */
    public static final String DEVELOPMENT_KEYSTORE_PASSWORD = "fleetkey-development-only";

    private static final Logger log = LoggerFactory.getLogger(ServiceSecrets.class);

    /** Lazy: read (and warned about) only when the keys are in the PKCS#12 file, not with a PKCS#11 token. */
    @Bean
    @Lazy
    KeystorePassword keystorePassword(Environment environment) {
        String value = environment.getProperty(KEYSTORE_PASSWORD);
        if (value == null || value.isEmpty()) {
            log.warn("""

                    ************************************************************************
                    * {} is not set: the key files under the data directory
                    * are protected by a fixed DEVELOPMENT password. Set it before storing
                    * any real device credentials.
                    ************************************************************************""", KEYSTORE_PASSWORD);
            return new KeystorePassword(DEVELOPMENT_KEYSTORE_PASSWORD.toCharArray(), true);
        }
        return new KeystorePassword(value.toCharArray(), false);
    }

    @Bean
    InitialAdminPassword initialAdminPassword(Environment environment) {
        String value = environment.getProperty(ADMIN_PASSWORD);
        return new InitialAdminPassword(Optional.ofNullable(value).filter(v -> !v.isEmpty()));
    }

    /** The admin password the operator chose, if any; consulted only when no user exists yet. */
    public record InitialAdminPassword(Optional<String> value) {
        @Override
        public String toString() {
            return "InitialAdminPassword[" + (value.isPresent() ? "from environment" : "absent") + "]";
        }
    }
}
