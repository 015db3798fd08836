package dev.fleetkey.bundle;

/**
 * A device bundle carries secrets in clear without saying so (its {@code secrets-in-clear} flag is
 * not set), or carries them in clear to a verifier configured to refuse clear secrets. Production
 * bundles seal their secrets for a recipient (see {@link BundleSecrets}).
 */
public final class ClearSecretsException extends BundleException {

    public ClearSecretsException(String message) {
        super("clear-secrets", message);
    }
}
