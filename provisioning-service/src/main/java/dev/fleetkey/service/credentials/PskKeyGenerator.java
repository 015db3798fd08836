package dev.fleetkey.service.credentials;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Random pre-shared keys of 16 to 64 bytes. */
public final class PskKeyGenerator {

    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 64;
    /** 128 bits, what the profile asks for at least. */
    public static final int DEFAULT_LENGTH = 16;

    private final SecureRandom random;

    public PskKeyGenerator(SecureRandom random) {
        this.random = random;
    }

    /**
     * A generator on the platform's strong RNG ({@link SecureRandom#getInstanceStrong()}: on Linux the
     * kernel's blocking pool, which never blocks once the kernel has been seeded).
     */
    public static PskKeyGenerator strong() {
        try {
            return new PskKeyGenerator(SecureRandom.getInstanceStrong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM offers no strong SecureRandom (securerandom.strongAlgorithms)", e);
        }
    }

    /** A fresh key of {@code length} bytes. */
    public byte[] generate(int length) {
        requireValidLength(length);
        byte[] key = new byte[length];
        random.nextBytes(key);
        return key;
    }

    static void requireValidLength(int length) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("PSK length " + length + " is out of range: choose "
                    + MIN_LENGTH + " to " + MAX_LENGTH + " bytes");
        }
    }
}
