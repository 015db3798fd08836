package dev.fleetkey.service.system;

/** A value the caller gave is wrong; the message says how to fix it. */
public final class InvalidFieldException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /** @param field the name of the field at fault, as the caller sent it */
    public InvalidFieldException(String field, String message) {
        super("invalid-field", message);
        this.field = field;
    }

    /** The field at fault. */
    @Override
    public String field() {
        return field;
    }
}
