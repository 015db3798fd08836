package dev.fleetkey.runtime;

/**
 * What the DTLS layer reported about the session that carried the last exchange.
 *
 * @param cipherSuite            the negotiated suite, IANA name, e.g. {@code TLS_PSK_WITH_AES_128_CCM_8}
 * @param sessionId              the DTLS session id in hex (empty when the server sent none)
 * @param resumed                {@code true} when the last handshake was abbreviated (session resumption)
 * @param connectionId           {@code true} when an RFC 9146 Connection ID was negotiated
 * @param handshakeBytesSent     UDP payload bytes of the handshake records this device sent in the last
 *                               handshake (retransmissions and the cookie exchange included)
 * @param handshakeBytesReceived the same for what the server sent
 */
public record ConnectionInfo(String cipherSuite, String sessionId, boolean resumed, boolean connectionId,
                             long handshakeBytesSent, long handshakeBytesReceived) {
}
