package dev.fleetkey.bundle;

/** A device bundle bound to another device. */
public final class WrongDeviceException extends BundleException {

    public WrongDeviceException(Eui64 expected, Eui64 actual) {
        super("wrong-device", "bundle is bound to device " + actual + ", this device is " + expected);
    }
}
