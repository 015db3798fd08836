package dev.fleetkey.service.endpoint;

import java.util.Optional;

/**
 * Where the device endpoint looks up the devices it may talk to. Implemented from the service's own
 * data; the endpoint never caches what it gets, so a revoked device is refused on its next handshake.
 */
public interface DeviceCredentialDirectory {

    /**
     * The device that was given this PSK identity, if any.
     *
     * @param identity the identity exactly as the client sent it: opaque bytes, compared bit for bit
     */
    Optional<KnownDevice> findByPskIdentity(byte[] identity);
}
