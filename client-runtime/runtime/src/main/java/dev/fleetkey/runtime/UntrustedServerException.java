package dev.fleetkey.runtime;

/**
 * The server proved a key or certificate chain the bundle does not trust: a raw public key that is
 * neither listed nor pinned, or a certificate chain that does not end at one of the bundle's trust
 * anchors. Either the address reaches a different server, or the server's credentials changed and the
 * device needs a newer bundle.
 */
public final class UntrustedServerException extends DeviceRuntimeException {

    /** @param message what was presented and what the bundle expects */
    public UntrustedServerException(String message) {
        super(message);
    }
}
