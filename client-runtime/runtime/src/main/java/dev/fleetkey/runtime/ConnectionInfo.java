package dev.fleetkey.runtime;

/**
 * What the DTLS layer reported about the session that carried the last exchange.
 *
 * @param cipherSuite the negotiated suite, IANA name, e.g. {@code TLS_PSK_WITH_AES_128_CCM_8}
 * @param sessionId   the DTLS session id in hex (empty when the server sent none)
 * @param resumed     {@code true} when the last handshake was abbreviated (session resumption)
 */
public record ConnectionInfo(String cipherSuite, String sessionId, boolean resumed) {
}
