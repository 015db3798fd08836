package dev.fleetkey.service.api;

import dev.fleetkey.service.system.ApiException;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * 409 with {@code Retry-After}: another request with the same {@code Idempotency-Key} and the same body is
 * still being worked on. Retrying the same request later gets its answer (draft-ietf-httpapi-idempotency-key-header,
 * "concurrent requests").
 */
public final class IdempotencyKeyInProgressException extends ApiException {

    /** How long a client should wait before retrying; a provisioning takes well under a second. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    IdempotencyKeyInProgressException(String key) {
        super(HttpStatus.CONFLICT, "idempotency-key-in-progress", null, "A request with Idempotency-Key '" + key
                + "' is still being processed: repeat the same request (same key, same body) after the Retry-After"
                + " delay to get its answer", Map.of("Retry-After", Long.toString(RETRY_AFTER.toSeconds())));
    }
}
