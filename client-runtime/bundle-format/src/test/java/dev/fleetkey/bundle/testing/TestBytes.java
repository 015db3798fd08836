package dev.fleetkey.bundle.testing;

/** Byte-array helpers for tests that locate and change a payload inside a signed structure. */
public final class TestBytes {

    private TestBytes() {
    }

    /** Where {@code needle} first stands in {@code haystack}, or -1. */
    public static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Where {@code needle} first stands in {@code haystack}; fails the test when it does not. */
    public static int requireIndexOf(byte[] haystack, byte[] needle) {
        int at = indexOf(haystack, needle);
        if (at < 0) {
            throw new AssertionError("expected bytes not found (" + needle.length + " bytes in " + haystack.length + ")");
        }
        return at;
    }
}
