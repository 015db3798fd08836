package dev.fleetkey.bundle.update;

import dev.fleetkey.bundle.BundleException;

/** The package's image is built for other hardware than this device. */
public final class WrongHardwareClassException extends BundleException {

    public WrongHardwareClassException(String expected, String actual) {
        super("wrong-hardware-class", "update package is for hardware class '" + actual + "', this device is '" + expected + "'");
    }
}
