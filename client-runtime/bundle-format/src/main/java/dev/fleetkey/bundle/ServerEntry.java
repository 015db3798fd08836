package dev.fleetkey.bundle;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One server a device talks to.
 *
 * @param name the name the device's software uses to pick the server
 * @param uri {@code coaps://host:port}
 * @param host the name matched against the server certificate (RFC 6125) and sent as SNI;
 *     defaults to the URI's host
 * @param mode how the device authenticates to this server
 * @param cipherSuites the suites the device may offer, in preference order
 * @param credentials what the mode needs
 */
public record ServerEntry(String name, URI uri, String host, CredentialMode mode, List<CipherSuite> cipherSuites,
                          ServerCredentials credentials) {

    public ServerEntry {
        Objects.requireNonNull(name, "server name");
        Objects.requireNonNull(uri, "server uri");
        Objects.requireNonNull(mode, "credential mode");
        Objects.requireNonNull(credentials, "credentials");
        if (name.isBlank()) {
            throw new IllegalArgumentException("server name must not be blank");
        }
        if (!"coaps".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("server '" + name + "': uri " + uri + " must be coaps://host:port");
        }
        if (host == null || host.isBlank()) {
            host = uri.getHost();
        }
        cipherSuites = List.copyOf(cipherSuites == null ? List.of() : cipherSuites);
        if (cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("server '" + name + "': at least one cipher suite is needed");
        }
        for (CipherSuite suite : cipherSuites) {
            if (!suite.supports(mode)) {
                throw new IllegalArgumentException("server '" + name + "': " + suite + " cannot be used with mode " + mode);
            }
        }
        if (credentials.mode() != mode) {
            throw new IllegalArgumentException("server '" + name + "': " + credentials.mode()
                    + " credentials given for mode " + mode);
        }
    }

    /** The UDP port of the URI, 5684 (the coaps default) when the URI names none. */
    public int port() {
        return uri.getPort() == -1 ? 5684 : uri.getPort();
    }
}
