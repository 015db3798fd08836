package dev.fleetkey.runtime;

/**
 * The server ended the DTLS handshake with a fatal alert (RFC 5246 section 7.2). The alert names the
 * reason: {@code decrypt_error} or {@code unknown_psk_identity} mean the server does not accept this
 * device's PSK, {@code handshake_failure} usually means no cipher suite in common.
 */
public final class AlertReceivedException extends DeviceRuntimeException {

    private final String alert;

    /** @param alert the alert description in RFC spelling, e.g. {@code decrypt_error} */
    public AlertReceivedException(String alert) {
        super("the server refused the DTLS handshake with the fatal alert '" + alert + "'" + hint(alert));
        this.alert = alert;
    }

    /** The alert description in RFC spelling, e.g. {@code decrypt_error}. */
    public String alert() {
        return alert;
    }

    private static String hint(String alert) {
        switch (alert) {
            case "decrypt_error":
            case "unknown_psk_identity":
                return ": the server does not accept this device's PSK identity or key";
            case "handshake_failure":
            case "insufficient_security":
                return ": the server offers none of the bundle's cipher suites";
            case "bad_certificate":
            case "certificate_unknown":
            case "certificate_revoked":
            case "certificate_expired":
                return ": the server does not accept this device's certificate or key (revoked, expired or replaced"
                        + " at the service?)";
            default:
                return "";
        }
    }
}
