package dev.fleetkey.runtime;

/**
 * The DTLS session is up but the CoAP request got no response (all CoAP retransmissions went
 * unanswered, or the server reset the message). The server may not run a CoAP service at that path.
 */
public final class NoResponseException extends DeviceRuntimeException {

    /** @param message what went unanswered */
    public NoResponseException(String message) {
        super(message);
    }
}
