package dev.fleetkey.bundle;

import java.util.Arrays;
import java.util.Optional;

/**
 * An enum of the formats whose constants travel as integers (bundle kind, credential mode, cipher suite, package
 * component role): each constant's wire value, and the one lookup of a constant by it.
 */
public interface WireCoded {

    /** The value on the wire. */
    int code();

    /** The constant of {@code type} whose wire value is {@code code}; empty when there is none. */
    static <E extends Enum<E> & WireCoded> Optional<E> byCode(Class<E> type, long code) {
        return Arrays.stream(type.getEnumConstants()).filter(constant -> constant.code() == code).findFirst();
    }
}
