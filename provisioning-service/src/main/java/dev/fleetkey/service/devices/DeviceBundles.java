package dev.fleetkey.service.devices;

import dev.fleetkey.service.callers.Caller;

/**
 * Where a provisioning answer gets the device's signed bundle when the caller asks for the bundle itself; the
 * {@code bundles} feature implements it.
 */
public interface DeviceBundles {

    /**
     * Issues the next signed bundle of {@code device} (CMS SignedData, DER) inside the caller's transaction, its
     * secrets sealed to {@link CallerRules#sealingKey} when the caller has one.
     */
    byte[] signedFor(Caller caller, Device device);
}
