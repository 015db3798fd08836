package dev.fleetkey.service.system;

/**
 * The password protecting the service's PKCS#12 key files, read from {@code FLEETKEY_KEYSTORE_PASSWORD}.
 *
 * @param developmentDefault true when the variable was unset and a fixed development password is in use
 */
public record KeystorePassword(char[] value, boolean developmentDefault) {

    /** A copy, so a caller that wipes its array does not wipe ours. */
    @Override
    public char[] value() {
        return value.clone();
    }

    @Override
    public String toString() {
        return "KeystorePassword[" + (developmentDefault ? "development default" : "from environment") + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
