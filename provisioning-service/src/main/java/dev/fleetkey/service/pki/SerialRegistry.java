package dev.fleetkey.service.pki;

import java.math.BigInteger;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers every serial number a CA has used, so none is used twice.
 *
 * <p>The database-backed implementation inserts the serial into a table with a UNIQUE constraint (per
 * issuer) and answers {@code false} on a constraint violation; {@link #inMemory()} serves tests and
 * benchmarks.
 */
@FunctionalInterface
public interface SerialRegistry {

    /**
     * Claims {@code serial} for the CA named {@code issuerSubject} (RFC 2253 form).
     *
     * @return {@code true} if the serial was free and is now taken, {@code false} if it was already used
     */
    boolean reserve(String issuerSubject, BigInteger serial);

    /** A registry in this JVM's memory only. */
    static SerialRegistry inMemory() {
        Set<String> used = ConcurrentHashMap.newKeySet();
        return (issuer, serial) -> used.add(issuer + '#' + serial.toString(16));
    }
}
