package dev.fleetkey.service.pki;

/** An existing CA hierarchy offered for import is unusable; the message says what to fix. */
public class CaImportException extends Exception {

    public CaImportException(String message) {
        super(message);
    }

    public CaImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
