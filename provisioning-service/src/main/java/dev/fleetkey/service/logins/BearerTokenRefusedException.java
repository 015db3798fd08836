package dev.fleetkey.service.logins;

import dev.fleetkey.service.system.FleetkeyException;

/**
 * A bearer token (a user's or a station's) that is unknown, revoked or expired, or whose user or station is
 * disabled; the message says where to get a new one.
 */
public final class BearerTokenRefusedException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    public BearerTokenRefusedException(String message) {
        super("unauthenticated", message);
    }
}
