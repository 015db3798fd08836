package dev.fleetkey.service.credentials;

import dev.fleetkey.service.system.FleetkeyException;

/**
 * A PSK identity is already held by a device; identities are unique across the fleet and never reused. The
 * caller changes the template's identity scheme (one that includes the EUI-64, or random).
 */
public final class PskIdentityInUseException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final String printableIdentity;

    public PskIdentityInUseException(String printableIdentity) {
        this(printableIdentity, "PSK identity " + printableIdentity + " is already in use by another device: choose an"
                + " identity pattern that includes the EUI-64, or the random scheme");
    }

    private PskIdentityInUseException(String printableIdentity, String message) {
        super("psk-identity-in-use", message);
        this.printableIdentity = printableIdentity;
    }

    /** The identity that is taken, printable (an identity is no secret). */
    public String printableIdentity() {
        return printableIdentity;
    }

    /** The same refusal with {@code advice} added to its message. */
    public PskIdentityInUseException withAdvice(String advice) {
        return new PskIdentityInUseException(printableIdentity, getMessage() + ". " + advice);
    }
}
