package dev.fleetkey.service.bundles;

import dev.fleetkey.service.system.FleetkeyException;

/**
 * The bundle carries secrets, its template forbids them in clear, and no recipient key is known to seal them for:
 * the caller gives the P-256 public key of the station or device that will open the bundle.
 */
public final class RecipientKeyRequiredException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final String templateReference;

    public RecipientKeyRequiredException(String templateReference) {
        super("recipient-key-required", "Template " + templateReference + " sets bundle.allow-unencrypted-secrets: false and this bundle carries"
                + " secrets, but no recipient key is known to seal them for. Give the P-256 public key of the station"
                + " or device");
        this.templateReference = templateReference;
    }

    /** The template that forbids secrets in clear, as {@code id@version}. */
    public String templateReference() {
        return templateReference;
    }
}
