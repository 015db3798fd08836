package dev.fleetkey.service.bundles;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The key bundles are signed with and the certificate devices trust it by. Interim implementation:
 * {@link LocalBundleSigningIdentity}; the PKI key vault replaces it behind this interface.
 */
public interface BundleSigningIdentity {

    /** ECDSA P-256 private key. */
    PrivateKey key();

    /** The certificate of {@link #key()}, served at {@code /api/v1/trust/bundle-signer.pem}. */
    X509Certificate certificate();
}
