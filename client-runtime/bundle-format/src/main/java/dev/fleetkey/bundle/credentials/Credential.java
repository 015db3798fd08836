package dev.fleetkey.bundle.credentials;

import dev.fleetkey.bundle.CredentialMode;

/**
 * A device's credential for one server, in one of the profile's three modes: the one value model the
 * service issues and the device runtime uses. Implementations copy arrays in and out, never print a secret,
 * and can overwrite the secret they hold.
 */
public sealed interface Credential permits PskCredential, RawPublicKeyCredential, CertificateCredential {

    /** The credential mode this value serves. */
    CredentialMode mode();

    /** Whether this value holds the secret (the PSK, or a private key). */
    boolean holdsSecret();

    /** Overwrites the secret this value holds with zeros; the value is unusable afterwards. */
    void wipe();
}
