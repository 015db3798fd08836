package dev.fleetkey.runtime;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The device's own X.509 credential for a certificate server when it is not the one the bundle carries: a
 * certificate renewed on the device ({@code fleetkey-device renew}), or a key that never leaves a PKCS#11
 * token. The bundle still gives the server's address, suite and trust anchors.
 *
 * @param privateKey the device's P-256 private key; a token key ({@code getEncoded()} is null) is used in place
 * @param chain      the device's certificate chain, leaf first, without the root; the leaf certifies the key
 */
public record ClientIdentity(PrivateKey privateKey, List<X509Certificate> chain) {

    /** Checks and copies. */
    public ClientIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a client identity needs its certificate chain");
        }
    }

    /**
     * The bundle's client certificate chain for {@code server} with a private key held elsewhere (a token).
     *
     * @throws ServerConfigurationException the server is not an X.509 server with a client chain
     */
    public static ClientIdentity withBundleChain(dev.fleetkey.bundle.BundlePayload bundle, String server,
                                                 PrivateKey key) throws DeviceRuntimeException {
        dev.fleetkey.bundle.ServerEntry entry = bundle.server(server).orElseThrow(() -> new UnknownServerException(
                server, bundle.servers().stream().map(dev.fleetkey.bundle.ServerEntry::name).toList()));
        if (!(entry.credentials() instanceof dev.fleetkey.bundle.ServerCredentials.Certificates certificates)
                || certificates.clientChain().isEmpty()) {
            throw new ServerConfigurationException("server '" + server + "' is a " + entry.mode() + " server without a"
                    + " client certificate: a token key is used with X.509 servers only");
        }
        try {
            return new ClientIdentity(key, dev.fleetkey.bundle.Certificates.parse(certificates.clientChain()));
        } catch (java.security.cert.CertificateException e) {
            throw new ServerConfigurationException("server '" + server + "': a client certificate does not parse");
        }
    }

    /** The PKCS#8 encoding of a software key; empty for a key held in a token. */
    Optional<byte[]> softwareKey() {
        byte[] encoded = "PKCS#8".equalsIgnoreCase(privateKey.getFormat()) ? privateKey.getEncoded() : null;
        return Optional.ofNullable(encoded);
    }

    @Override
    public String toString() {
        return "ClientIdentity[private key redacted, leaf serial " + chain.get(0).getSerialNumber().toString(16) + "]";
    }
}
