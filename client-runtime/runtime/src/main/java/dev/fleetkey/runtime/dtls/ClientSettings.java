package dev.fleetkey.runtime.dtls;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the DTLS/CoAP adapter needs for one server, already taken out of a verified bundle.
 * Holds the PSK: the arrays are copied in and out, and {@link #toString()} never shows them.
 *
 * @param peer                  the server's address
 * @param pskIdentity           the PSK identity, opaque bytes sent as they are
 * @param pskKey                the pre-shared key
 * @param initialRetransmission the first DTLS retransmission timer (RFC 7925 section 11: 9 s)
 */
public record ClientSettings(InetSocketAddress peer, byte[] pskIdentity, byte[] pskKey,
                             Duration initialRetransmission) {

    /** Checks the values and copies the secrets. */
    public ClientSettings {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(initialRetransmission, "initialRetransmission");
        if (pskIdentity == null || pskIdentity.length == 0) {
            throw new IllegalArgumentException("PSK identity is empty: the bundle's server entry must carry one");
        }
        if (pskKey == null || pskKey.length < 16) {
            throw new IllegalArgumentException("PSK must be at least 16 bytes (128 bits) long");
        }
        if (initialRetransmission.isNegative() || initialRetransmission.isZero()) {
            throw new IllegalArgumentException("initial retransmission timer must be positive, was "
                    + initialRetransmission);
        }
        pskIdentity = pskIdentity.clone();
        pskKey = pskKey.clone();
    }

    /** The PSK identity; a copy. */
    @Override
    public byte[] pskIdentity() {
        return pskIdentity.clone();
    }

    /** The pre-shared key; a copy. */
    @Override
    public byte[] pskKey() {
        return pskKey.clone();
    }

    @Override
    public String toString() {
        return "ClientSettings[peer=" + peer + ", psk identity " + pskIdentity.length + " bytes, key redacted, "
                + "initialRetransmission=" + initialRetransmission + "]";
    }
}
