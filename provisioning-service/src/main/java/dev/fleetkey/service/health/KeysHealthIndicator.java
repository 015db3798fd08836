package dev.fleetkey.service.health;

import dev.fleetkey.service.pki.KeyVault;
import dev.fleetkey.service.pki.KeyVaultException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code keys}: the key store answers (lists its entries): the provider ({@code pkcs12} or {@code pkcs11}), where
 * it is (the file, or the PKCS#11 module and slot) and how many entries it holds. Cheap enough for every probe: no
 * key is read or used, and the details never name an alias or a key. For a token, listing its objects is a round
 * trip to it, so a token that was removed, or whose session ended, shows DOWN.
 */
class KeysHealthIndicator implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(KeysHealthIndicator.class);

    private final KeyVault vault;

    KeysHealthIndicator(KeyVault vault) {
        this.vault = vault;
    }

    @Override
    public Health health() {
        Health.Builder details = Health.unknown().withDetail("provider", vault.kind())
                .withDetail("location", vault.location());
        try {
            int entries = vault.aliases().size();
            return entries > 0 ? details.up().withDetail("entries", entries).build()
                    : details.down().withDetail("entries", 0).withDetail("problem", "the key store is empty").build();
        } catch (KeyVaultException e) {
            log.warn("Key store health check failed", e);
            return details.down().withDetail("problem", "the key store does not answer; see the service log").build();
        }
    }
}
