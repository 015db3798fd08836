package dev.fleetkey.service.pki;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The device endpoint's own credentials: the same server credential the device bundles name for the
 * endpoint's server ({@code fleetkey.device-endpoint.server-name}, default {@code fleetkey}) and FQDN
 * ({@code fleetkey.device-endpoint.host}, default {@code localhost}), so provisioned devices can verify it
 * by certificate (trust anchor: the Fleetkey root) or by its pinned raw key. Issued on first use.
 */
public final class EndpointServerCredentials {

    private final ServerCredentialStore store;
    private final CertificateAuthorities authorities;
    private final String serverName;
    private final String host;

    public EndpointServerCredentials(ServerCredentialStore store, CertificateAuthorities authorities,
            String serverName, String host) {
        this.store = store;
        this.authorities = authorities;
        this.serverName = serverName;
        this.host = host;
    }

    /** The server name the endpoint's credential is kept under. */
    public String serverName() {
        return serverName;
    }

    /** The FQDN in the endpoint's certificate. */
    public String host() {
        return host;
    }

    /** The endpoint's certificate chain: its certificate, then the server CA (no root). */
    public List<X509Certificate> certificateChain() {
        return store.credentialFor(serverName, host).chain();
    }

    /** The endpoint's private key (for the DTLS handshake only; never log or export it from here). */
    public PrivateKey privateKey() {
        return store.credentialFor(serverName, host).privateKey();
    }

    /** The endpoint's raw public key, which RPK devices pin. */
    public PublicKey publicKey() {
        return store.credentialFor(serverName, host).certificate().getPublicKey();
    }

    /** What device client certificates must chain to: the device issuing CA, then the root. */
    public List<X509Certificate> deviceCaChain() {
        return authorities.deviceCa().chain();
    }

    @Override
    public String toString() {
        return "EndpointServerCredentials[" + serverName + " " + host + ", privateKey=<hidden>]";
    }
}
