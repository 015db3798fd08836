package dev.fleetkey.service.devices;

/**
 * Seals device PSKs before they reach the database, and opens them to build a bundle or answer a DTLS
 * handshake. The interim implementation is {@link KeystorePskSealing}; the PKI key vault's sealer
 * replaces it behind this interface.
 */
public interface PskSealing {

    /**
     * Seals {@code key}, bound to {@code context} (authenticated, not encrypted): a sealed key copied
     * to another device's row fails to open.
     */
    SealedKey seal(byte[] key, byte[] context);

    /**
     * Opens what {@link #seal} made with the same {@code context}.
     *
     * @throws IllegalStateException when the ciphertext or context was altered, or the key is unknown
     */
    byte[] unseal(SealedKey sealed, byte[] context);
}
