package dev.fleetkey.runtime.renewal;

import dev.fleetkey.runtime.DeviceRuntimeException;

/**
 * The server answered the re-enrollment with an error (RFC 9148: 4.00 bad request, 4.01/4.03 not allowed, 5.03
 * try later); its diagnostic payload is in the message. The device keeps the credential it had.
 */
public final class RenewalRefusedException extends DeviceRuntimeException {

    private final String code;

    /**
     * @param code       the CoAP response code, e.g. {@code 4.03}
     * @param diagnostic the server's diagnostic text, possibly empty
     */
    public RenewalRefusedException(String code, String diagnostic) {
        super("the server refused the certificate renewal with " + code
                + (diagnostic.isBlank() ? "" : ": " + diagnostic.strip())
                + "; the device keeps its current certificate" + hint(code));
        this.code = code;
    }

    /** The CoAP response code, e.g. {@code 4.03}. */
    public String code() {
        return code;
    }

    private static String hint(String code) {
        return switch (code) {
            case "4.01", "4.03" -> " (is the device revoked, or does its template allow re-enrollment?)";
            case "4.04" -> " (the server offers no EST re-enrollment at /.well-known/est/sren)";
            case "4.15" -> " (the server does not take PKCS#10 requests in content-format 286)";
            case "5.03" -> " (the server is busy: try again later)";
            default -> "";
        };
    }
}
