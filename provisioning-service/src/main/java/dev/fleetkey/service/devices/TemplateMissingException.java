package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.FleetkeyException;

/** The template a device was provisioned from is no longer loaded; an operator restores that template file. */
public final class TemplateMissingException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final Eui64 eui64;
    private final String templateReference;

    public TemplateMissingException(Eui64 eui64, String templateReference) {
        super("Device " + eui64 + " was provisioned from " + templateReference
                + ", which is no longer loaded; restore that template file");
        this.eui64 = eui64;
        this.templateReference = templateReference;
    }

    public Eui64 eui64() {
        return eui64;
    }

    /** The missing template, as {@code id@version}. */
    public String templateReference() {
        return templateReference;
    }

    @Override
    public String reason() {
        return "template-missing";
    }
}
