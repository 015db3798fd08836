package dev.fleetkey.service.api;

import dev.fleetkey.service.system.FleetkeyException;
import java.time.Duration;

/**
 * Another request with the same {@code Idempotency-Key} and the same body is still being worked on. Retrying the
 * same request after {@link #retryAfter()} gets its answer (draft-ietf-httpapi-idempotency-key-header,
 * "concurrent requests").
 */
public final class IdempotencyKeyInProgressException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    /** How long a client should wait before retrying; a provisioning takes well under a second. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    public IdempotencyKeyInProgressException(String key) {
        super("idempotency-key-in-progress", "A request with Idempotency-Key '" + key + "' is still being processed: repeat the same request (same"
                + " key, same body) after " + RETRY_AFTER.toSeconds() + " s to get its answer");
    }

    /** How long to wait before repeating the request. */
    public Duration retryAfter() {
        return RETRY_AFTER;
    }
}
