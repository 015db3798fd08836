package dev.fleetkey.bundle;

import java.security.cert.X509Certificate;

/**
 * A bundle that passed every check.
 *
 * @param payload the decoded payload
 * @param signer the certificate that signed it
 * @param size the signed bundle's size in bytes
 */
public record VerifiedBundle(BundlePayload payload, X509Certificate signer, int size) {
}
