package dev.fleetkey.runtime.renewal;

import dev.fleetkey.runtime.DeviceRuntimeException;

/**
 * The server answered the re-enrollment with a certificate this device must not use: it does not certify the new
 * key, names another device, does not chain to the bundle's trust anchors, or is out of date. Nothing was switched.
 */
public final class RenewedCertificateRejectedException extends DeviceRuntimeException {

    /** @param message what is wrong with the certificate */
    public RenewedCertificateRejectedException(String message) {
        super(message + "; the device keeps its current certificate");
    }

    /**
     * @param message what is wrong with the certificate
     * @param cause   the underlying failure
     */
    public RenewedCertificateRejectedException(String message, Throwable cause) {
        super(message + "; the device keeps its current certificate", cause);
    }
}
