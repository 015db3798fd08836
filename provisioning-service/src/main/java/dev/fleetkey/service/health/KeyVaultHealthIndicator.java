package dev.fleetkey.service.health;

import dev.fleetkey.service.pki.KeyVault;
import dev.fleetkey.service.pki.KeyVaultException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code keyVault}: the key store answers (lists its entries). Cheap enough for every probe: no key is read or
 * unsealed, and the details give only the count, never an alias or key.
 */
class KeyVaultHealthIndicator implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(KeyVaultHealthIndicator.class);

    private final KeyVault vault;

    KeyVaultHealthIndicator(KeyVault vault) {
        this.vault = vault;
    }

    @Override
    public Health health() {
        try {
            int entries = vault.aliases().size();
            return entries > 0 ? Health.up().withDetail("entries", entries).build()
                    : Health.down().withDetail("entries", 0).withDetail("problem", "the key store is empty").build();
        } catch (KeyVaultException e) {
            log.warn("Key store health check failed", e);
            return Health.down().withDetail("problem", "the key store does not answer; see the service log").build();
        }
    }
}
