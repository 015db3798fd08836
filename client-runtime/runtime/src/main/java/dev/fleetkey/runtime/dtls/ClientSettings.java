package dev.fleetkey.runtime.dtls;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the DTLS/CoAP adapter needs for one server, already taken out of a verified bundle.
 *
 * @param peer                  the server's address
 * @param credentials           how each side authenticates (PSK, raw public key or certificates)
 * @param initialRetransmission the first DTLS retransmission timer (RFC 7925 section 11: 9 s)
 * @param connectionId          whether to negotiate an RFC 9146 Connection ID
 * @param maxSessionAge         a session older than this is not resumed: the next handshake is a full one
 */
public record ClientSettings(InetSocketAddress peer, ClientCredentials credentials, Duration initialRetransmission,
                             boolean connectionId, Duration maxSessionAge) {

    /** What a session may be resumed for unless configured otherwise: one day. */
    public static final Duration DEFAULT_MAX_SESSION_AGE = Duration.ofHours(24);

    /** Checks the values. */
    public ClientSettings {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(initialRetransmission, "initialRetransmission");
        Objects.requireNonNull(maxSessionAge, "maxSessionAge");
        if (initialRetransmission.isNegative() || initialRetransmission.isZero()) {
            throw new IllegalArgumentException("initial retransmission timer must be positive, was "
                    + initialRetransmission);
        }
        if (maxSessionAge.isNegative()) {
            throw new IllegalArgumentException("maximum session age must not be negative, was " + maxSessionAge);
        }
    }

    /** Settings with no Connection ID and the default maximum session age. */
    public ClientSettings(InetSocketAddress peer, ClientCredentials credentials, Duration initialRetransmission) {
        this(peer, credentials, initialRetransmission, false, DEFAULT_MAX_SESSION_AGE);
    }
}
