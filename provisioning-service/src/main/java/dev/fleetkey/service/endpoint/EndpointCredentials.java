package dev.fleetkey.service.endpoint;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The endpoint's own identity for the ECDHE modes, and whom it accepts device certificates from.
 *
 * @param privateKey    the server's P-256 private key
 * @param publicKey     its public key: what raw-public-key devices pin
 * @param chain         the server's certificate chain, leaf (naming the server's FQDN) first, without the
 *                      root; empty when the endpoint serves raw public keys only
 * @param deviceIssuers the device issuing CA certificates client certificates must chain to; empty when
 *                      no device uses certificates
 */
public record EndpointCredentials(PrivateKey privateKey, PublicKey publicKey, List<X509Certificate> chain,
                                  List<X509Certificate> deviceIssuers) {

    /** Checks and copies. */
    public EndpointCredentials {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        chain = List.copyOf(chain);
        deviceIssuers = List.copyOf(deviceIssuers);
        if (!chain.isEmpty() && !chain.get(0).getPublicKey().equals(publicKey)) {
            throw new IllegalArgumentException("the endpoint's certificate '"
                    + chain.get(0).getSubjectX500Principal().getName() + "' is not for the endpoint's public key");
        }
    }

    /** Raw public key only, no certificates. */
    public static EndpointCredentials rawKey(PrivateKey privateKey, PublicKey publicKey) {
        return new EndpointCredentials(privateKey, publicKey, List.of(), List.of());
    }

    @Override
    public String toString() {
        return "EndpointCredentials[private key redacted, " + chain.size() + " certificates, "
                + deviceIssuers.size() + " device issuers]";
    }
}
