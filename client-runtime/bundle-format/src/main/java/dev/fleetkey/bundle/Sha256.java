package dev.fleetkey.bundle;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one digest Fleetkey uses for key pins, component digests, key identifiers, fingerprints and
 * token hashes. One place, so that no caller handles the {@link NoSuchAlgorithmException} every Java runtime
 * rules out (SHA-256 is a required {@link MessageDigest} algorithm).
 */
public final class Sha256 {

    /** Bytes in a digest. */
    public static final int LENGTH = 32;

    private Sha256() {
    }

    /** The digest of {@code data}. */
    public static byte[] digest(byte[] data) {
        return newDigest().digest(data);
    }

    /** The digest of {@code text} encoded as UTF-8. */
    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of {@code data} as 64 lower-case hex digits. */
    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(digest(data));
    }

    /** The digest of {@code text} encoded as UTF-8, as 64 lower-case hex digits. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
