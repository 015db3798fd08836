package dev.fleetkey.service.api;

import dev.fleetkey.service.system.FleetkeyException;

/**
 * An idempotency key was used before for a different request (other body or path): a new request needs a new
 * key; repeating the original request unchanged gets its stored answer.
 */
public final class IdempotencyKeyReusedException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    public IdempotencyKeyReusedException(String key) {
        super("idempotency-key-reused", "Idempotency-Key '" + key + "' was already used for a different request (other body or path) in the"
                + " last " + Idempotency.RETENTION.toHours() + " h: send a new key for a new request, or repeat the"
                + " original request unchanged");
    }
}
