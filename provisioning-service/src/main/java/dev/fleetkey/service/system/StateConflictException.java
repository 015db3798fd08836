package dev.fleetkey.service.system;

/**
 * The request conflicts with what exists now (a name taken, a token revoked already, a release that exists, a
 * batch still running); {@link #reason()} names which conflict and the message says what to do instead. Failures
 * a caller handles on their own have their own type (e.g. {@code DeviceExistsException}).
 */
public final class StateConflictException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    /** @param reason a short stable slug such as {@code station-exists} */
    public StateConflictException(String reason, String message) {
        super(reason, message);
    }
}
