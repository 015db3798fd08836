package dev.fleetkey.service.devices;

import dev.fleetkey.service.system.FleetkeyException;

/** A certificate was asked for a device whose template has no x509 server, so there is nothing to certify. */
public final class NoCertificateServerException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final String templateReference;

    public NoCertificateServerException(String templateReference) {
        super("no-certificate-server", "Template " + templateReference + " has no x509 server, so its devices get no certificate: enroll"
                + " devices of a template with a server in mode x509");
        this.templateReference = templateReference;
    }

    /** The template, as {@code id@version}. */
    public String templateReference() {
        return templateReference;
    }
}
