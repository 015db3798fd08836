package dev.fleetkey.runtime;

import java.util.List;

/**
 * The server's certificate chains to a trusted anchor but does not carry the host name the bundle
 * expects (RFC 6125 matching). The address may reach another server of the same CA, or the bundle's
 * host name is wrong.
 */
public final class ServerNameMismatchException extends DeviceRuntimeException {

    private final String expected;
    private final List<String> presented;

    /**
     * @param expected  the host name from the bundle
     * @param presented the DNS names (or, lacking those, the common name) in the certificate
     */
    public ServerNameMismatchException(String expected, List<String> presented) {
        super("the server's certificate is for " + (presented.isEmpty() ? "no host name" : String.join(", ", presented))
                + ", not for '" + expected + "' as the bundle expects: check the address, or the bundle's host");
        this.expected = expected;
        this.presented = List.copyOf(presented);
    }

    /** The host name the bundle expects. */
    public String expected() {
        return expected;
    }

    /** The names the certificate carries. */
    public List<String> presented() {
        return presented;
    }
}
