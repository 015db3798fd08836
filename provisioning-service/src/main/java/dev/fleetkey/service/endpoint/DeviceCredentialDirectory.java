package dev.fleetkey.service.endpoint;

import java.security.cert.X509Certificate;
import java.util.Optional;

import dev.fleetkey.bundle.Eui64;

/**
 * Where the device endpoint looks up the devices it may talk to. Implemented from the service's own
 * data; the service's endpoint keeps the answers in memory ({@link CachedCredentialDirectory}) and forgets a
 * device when the {@link CredentialChangeLog} says it changed, so a revoked device is refused on its next
 * handshake, resumption and request once the change is known (at once on the instance that made it).
 * Every lookup answers empty for an unknown device and for a revoked or expired credential.
 *
 * <p>The raw-public-key and certificate lookups default to "no such device", so a directory that only
 * knows PSKs keeps working; the endpoint then refuses those modes with a fatal alert.
 */
public interface DeviceCredentialDirectory {

    /**
     * The device that was given this PSK identity, if any.
     *
     * @param identity the identity exactly as the client sent it: opaque bytes, compared bit for bit
     */
    Optional<KnownDevice> findByPskIdentity(byte[] identity);

    /**
     * The device whose registered raw public key this is (RFC 7250), if any.
     *
     * @param subjectPublicKeyInfo the client's key, DER SubjectPublicKeyInfo, compared bit for bit
     */
    default Optional<KnownDevice> findByRawPublicKey(byte[] subjectPublicKeyInfo) {
        return Optional.empty();
    }

    /**
     * The device a client certificate belongs to. The endpoint has already validated the chain to the
     * device issuing CA and read the EUI-64 from the certificate; the directory decides whether that
     * device is known and this certificate (by serial number, say) is still valid for it.
     *
     * @param device      the EUI-64 the certificate names (subject CN or SAN {@code urn:dev:mac:})
     * @param certificate the client's leaf certificate
     */
    default Optional<KnownDevice> findByCertificate(Eui64 device, X509Certificate certificate) {
        return Optional.empty();
    }

    /**
     * Whether {@code device} may still use this PSK identity: asked on every request and every session
     * resumption, so it needs no key. The default asks {@link #findByPskIdentity(byte[])}, which does read
     * the key; a directory that can answer from its records alone should override it.
     *
     * @param identity the identity the session authenticated with, compared bit for bit
     */
    default boolean acceptsPskIdentity(Eui64 device, byte[] identity) {
        return findByPskIdentity(identity).filter(known -> known.eui64().equals(device)).isPresent();
    }
}
