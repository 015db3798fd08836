package dev.fleetkey.service.credentials;

import java.security.SecureRandom;
import java.util.regex.Pattern;

import javax.crypto.spec.SecretKeySpec;

import dev.fleetkey.service.pki.KeyVault;

/**
 * Batch master keys for diversified PSKs, kept in the {@link KeyVault} under
 * {@code fleetkey-psk-batch-<batch>} and created on first use.
 */
public final class PskBatchKeys {

    static final String ALIAS_PREFIX = "fleetkey-psk-batch-";
    private static final Pattern BATCH_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final KeyVault vault;
    private final SecureRandom random;
    // opening a PKCS#12 entry runs a password-based KDF; diversified provisioning asks on every device
    private final java.util.Map<String, DiversifiedPskDeriver> derivers = new java.util.HashMap<>();

    public PskBatchKeys(KeyVault vault, SecureRandom random) {
        this.vault = vault;
        this.random = random;
    }

    /** The deriver for {@code batch}, whose master key is created (32 random bytes) if the vault has none. */
    public synchronized DiversifiedPskDeriver deriver(String batch) {
        if (batch == null || !BATCH_NAME.matcher(batch).matches()) {
            throw new IllegalArgumentException("PSK batch name '" + batch + "' is invalid: use 1-63 lower-case "
                    + "letters, digits and hyphens");
        }
        DiversifiedPskDeriver known = derivers.get(batch);
        if (known != null) {
            return known;
        }
        String alias = ALIAS_PREFIX + batch;
        byte[] master = vault.secretKey(alias).map(k -> k.getEncoded()).orElseGet(() -> {
            byte[] created = new byte[DiversifiedPskDeriver.MIN_MASTER_KEY_LENGTH];
            random.nextBytes(created);
            vault.storeSecretKey(alias, new SecretKeySpec(created, "HmacSHA256"));
            return created;
        });
        DiversifiedPskDeriver deriver = new DiversifiedPskDeriver(master);
        java.util.Arrays.fill(master, (byte) 0);
        derivers.put(batch, deriver);
        return deriver;
    }
}
