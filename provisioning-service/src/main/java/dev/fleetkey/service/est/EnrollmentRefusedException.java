package dev.fleetkey.service.est;

import dev.fleetkey.service.system.FleetkeyException;

/**
 * A device asked for a certificate its template does not let it have this way (4.03 on the device endpoint);
 * the message names the rule and what would let it enroll.
 */
public final class EnrollmentRefusedException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    public EnrollmentRefusedException(String message) {
        super("enrollment-refused", message);
    }
}
