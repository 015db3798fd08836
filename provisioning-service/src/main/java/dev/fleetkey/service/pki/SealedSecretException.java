package dev.fleetkey.service.pki;

/**
 * A sealed secret cannot be opened: it was altered, belongs to another context (e.g. another device), was
 * sealed under another key-encryption key, or is in an unknown format. Never carries the secret.
 */
public class SealedSecretException extends Exception {

    public SealedSecretException(String message) {
        super(message);
    }

    public SealedSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
