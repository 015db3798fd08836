package dev.fleetkey.bundle.testing;

import dev.fleetkey.bundle.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * A repeatable byte stream (SHA-256 in counter mode over a label) standing in for randomness where
 * the golden test vectors must come out byte-identical on every run. TEST ONLY: never use it for
 * real keys or envelopes.
 */
public final class SeededRandom extends SecureRandom {

    private final byte[] seed;
    private long counter;
    private byte[] block = new byte[0];
    private int used;

    public SeededRandom(String label) {
        this.seed = label.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (used == block.length) {
                block = sha256(seed, counter++);
                used = 0;
            }
            bytes[i] = block[used++];
        }
    }

    @Override
    public byte[] generateSeed(int numBytes) {
        byte[] out = new byte[numBytes];
        nextBytes(out);
        return out;
    }

    @Override
    public void setSeed(long ignored) {
        // the stream depends on the label only
    }

    @Override
    public void setSeed(byte[] ignored) {
        // the stream depends on the label only
    }

    static byte[] sha256(byte[] seed, long counter) {
        return Sha256.digest(ByteBuffer.allocate(seed.length + Long.BYTES).put(seed).putLong(counter).array());
    }
}
