package dev.fleetkey.service.credentials;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Claims PSK identities so that no two devices share one (identities are compared bit for bit).
 *
 * <p>The database-backed implementation inserts into a column with a UNIQUE constraint and answers
 * {@code false} on a violation; {@link #inMemory()} serves tests and benchmarks.
 */
@FunctionalInterface
public interface PskIdentityRegistry {

    /** @return {@code true} if the identity was free and is now taken, {@code false} if already in use */
    boolean reserve(byte[] identity);

    /** A registry in this JVM's memory only. */
    static PskIdentityRegistry inMemory() {
        Set<ByteBuffer> used = ConcurrentHashMap.newKeySet();
        return identity -> used.add(ByteBuffer.wrap(identity.clone()));
    }
}
