package dev.fleetkey.service.credentials;

/** A PSK identity is already held by another device; identities must be unique across the fleet. */
public class PskIdentityInUseException extends RuntimeException {

    public PskIdentityInUseException(String printableIdentity) {
        super("PSK identity " + printableIdentity + " is already in use by another device: choose an identity "
                + "pattern that includes the EUI-64, or the random scheme");
    }
}
