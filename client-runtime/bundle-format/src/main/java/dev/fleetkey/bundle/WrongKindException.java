package dev.fleetkey.bundle;

/** A fleet bundle where a device bundle was expected, or the reverse. */
public final class WrongKindException extends BundleException {

    public WrongKindException(BundleKind expected, BundleKind actual) {
        super("wrong-kind", "expected a " + expected.name().toLowerCase() + " bundle, got a " + actual.name().toLowerCase() + " bundle");
    }
}
