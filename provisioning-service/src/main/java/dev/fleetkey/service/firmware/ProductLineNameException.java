package dev.fleetkey.service.firmware;

import dev.fleetkey.service.system.FleetkeyException;

/** A template's id cannot name a firmware package directory; an operator renames the template. */
public final class ProductLineNameException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    public ProductLineNameException(String templateId) {
        super("product-line-name", "template id '" + templateId + "' cannot name a package directory");
    }
}
