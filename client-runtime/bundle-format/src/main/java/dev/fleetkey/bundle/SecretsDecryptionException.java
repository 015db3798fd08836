package dev.fleetkey.bundle;

/**
 * The bundle's sealed secrets cannot be opened with the given key: the bundle was sealed for another
 * recipient (another station transport key, or an older device key), or the envelope is damaged.
 */
public final class SecretsDecryptionException extends BundleException {

    public SecretsDecryptionException(String message) {
        super("undecryptable-secrets", message);
    }
}
