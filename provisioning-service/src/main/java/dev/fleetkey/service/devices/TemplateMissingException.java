package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;

/** The template a device was provisioned from is no longer loaded; an operator restores that template file. */
public final class TemplateMissingException extends DeviceException {

    private static final long serialVersionUID = 1L;

    private final String templateReference;

    public TemplateMissingException(Eui64 eui64, String templateReference) {
        super("template-missing", eui64, "Device " + eui64 + " was provisioned from " + templateReference
                + ", which is no longer loaded; restore that template file");
        this.templateReference = templateReference;
    }

    /** The missing template, as {@code id@version}. */
    public String templateReference() {
        return templateReference;
    }
}
