package dev.fleetkey.service.stations;

import dev.fleetkey.service.system.FleetkeyException;
import java.time.Duration;

/** A station used up its requests per minute; it may try again after {@link #retryAfter()}. */
public final class QuotaExceededException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public QuotaExceededException(Station station, Duration retryAfter) {
        super("quota-exceeded", "Station '" + station.name() + "' is over its quota of " + station.quotaPerMinute() + " requests per"
                + " minute: retry later, or ask an administrator to raise quotaPerMinute");
        this.retryAfter = retryAfter;
    }

    /** How long to wait before the next request. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
