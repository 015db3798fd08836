package dev.fleetkey.bundle;

import java.time.Duration;
import java.util.Objects;

/**
 * How the device runs DTLS with a bundle's servers.
 *
 * @param initialRetransmission the first retransmission timer (RFC 7925 section 11: 9 s)
 * @param resumption whether the client resumes sessions (abbreviated handshake)
 * @param connectionId whether the client negotiates an RFC 9146 Connection ID
 */
public record DtlsPolicy(Duration initialRetransmission, boolean resumption, boolean connectionId) {

    /** Longest initial timer a bundle may set; RFC 6347 caps the back-off at 60 s. */
    public static final Duration MAX_INITIAL_RETRANSMISSION = Duration.ofSeconds(60);

    public DtlsPolicy {
        Objects.requireNonNull(initialRetransmission, "initialRetransmission");
        if (initialRetransmission.isNegative() || initialRetransmission.isZero()
                || initialRetransmission.compareTo(MAX_INITIAL_RETRANSMISSION) > 0) {
            throw new IllegalArgumentException("initial retransmission timer " + initialRetransmission.toMillis()
                    + " ms is outside 1 ms .. 60 s");
        }
    }

    /** The profile's defaults: 9 s initial timer, resumption on, no Connection ID. */
    public static DtlsPolicy profileDefault() {
        return new DtlsPolicy(Duration.ofSeconds(9), true, false);
    }
}
