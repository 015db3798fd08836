package dev.fleetkey.runtime;

import java.time.Instant;

/**
 * A certificate in the server's chain is outside its validity period. Either the server's certificate
 * must be renewed, or this device's clock is wrong.
 */
public final class ServerCertificateExpiredException extends DeviceRuntimeException {

    private final String subject;
    private final Instant notAfter;

    /**
     * @param subject  the subject of the expired certificate
     * @param notAfter the end of its validity
     */
    public ServerCertificateExpiredException(String subject, Instant notAfter) {
        super("the server's certificate '" + subject + "' expired at " + notAfter + " (this device's clock says "
                + Instant.now() + "): the server needs a renewed certificate, or the device's clock is wrong");
        this.subject = subject;
        this.notAfter = notAfter;
    }

    /** The subject of the expired certificate. */
    public String subject() {
        return subject;
    }

    /** When it expired. */
    public Instant notAfter() {
        return notAfter;
    }
}
