package dev.fleetkey.service.system;

/**
 * The named thing (a user, a token, a firmware package, a template, ...) does not exist; the message names it.
 * A device has its own {@code DeviceNotFoundException}.
 */
public final class NotFoundException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super("not-found", message);
    }
}
