package dev.fleetkey.service.credentials;

/**
 * A credential issued to one device, in one of the profile's three modes. Implementations hold secrets
 * and never print them.
 */
public sealed interface IssuedCredential permits PskCredential, RawPublicKeyCredential, CertificateCredential {

    /** Whether the service holds the device's secret (a PSK or a private key it generated). */
    boolean holdsSecret();
}
