package dev.fleetkey.runtime;

import java.net.InetSocketAddress;

/**
 * The server never completed the DTLS handshake: every retransmission went unanswered. Typical causes
 * are a wrong address or port, a firewall dropping UDP, or a server that silently rejects the
 * credentials (a server that does not know the PSK, for instance, may stay silent).
 */
public final class HandshakeTimeoutException extends DeviceRuntimeException {

    private final InetSocketAddress server;

    /** @param server the address dialled */
    public HandshakeTimeoutException(InetSocketAddress server) {
        super("DTLS handshake with " + server.getHostString() + ":" + server.getPort()
                + " timed out: no answer after all retransmissions. Check the address and port, that UDP "
                + "reaches the server, and that the server knows this device's credentials");
        this.server = server;
    }

    /** The address that did not answer. */
    public InetSocketAddress server() {
        return server;
    }
}
