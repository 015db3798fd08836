package dev.fleetkey.bundle;

/** A fleet bundle made for another product line (template) than the one this device runs. */
public final class WrongProductLineException extends BundleException {

    public WrongProductLineException(String expected, String actual) {
        super("wrong-product-line", "fleet bundle is for product line '" + actual + "', this device runs '" + expected + "'");
    }
}
