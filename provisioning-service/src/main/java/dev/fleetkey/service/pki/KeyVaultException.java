package dev.fleetkey.service.pki;

/** The key vault could not be read or written. Messages name the file and never contain a secret. */
public class KeyVaultException extends RuntimeException {

    public KeyVaultException(String message) {
        super(message);
    }

    public KeyVaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
