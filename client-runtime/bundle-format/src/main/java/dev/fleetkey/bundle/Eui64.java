package dev.fleetkey.bundle;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A device's EUI-64, the identity every Fleetkey credential is bound to.
 *
 * <p>Accepted spellings: {@code 00-11-22-FF-FE-33-44-55}, {@code 00:11:22:ff:fe:33:44:55} and
 * {@code 001122fffe334455}, in any case. One canonical form is stored and printed:
 * upper-case hex pairs joined by hyphens (the form a client certificate's subject CN carries).
 */
public record Eui64(long value) {

    private static final Pattern SEPARATED =
            Pattern.compile("\\p{XDigit}{2}([-:])\\p{XDigit}{2}(\\1\\p{XDigit}{2}){6}");
    private static final Pattern COMPACT = Pattern.compile("\\p{XDigit}{16}");

    /**
     * Parses any accepted spelling.
     *
     * @throws IllegalArgumentException naming the accepted forms when {@code text} is none of them
     */
    public static Eui64 parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("EUI-64 is missing: give 8 bytes in hex, e.g. 00-11-22-FF-FE-33-44-55");
        }
        String trimmed = text.trim();
        String hex;
        if (SEPARATED.matcher(trimmed).matches()) {
            hex = trimmed.replace("-", "").replace(":", "");
        } else if (COMPACT.matcher(trimmed).matches()) {
            hex = trimmed;
        } else {
            throw new IllegalArgumentException("EUI-64 '" + abbreviate(trimmed) + "' is not 8 hex bytes: write it as "
                    + "00-11-22-FF-FE-33-44-55, 00:11:22:FF:FE:33:44:55 or 001122fffe334455");
        }
        return new Eui64(Long.parseUnsignedLong(hex, 16));
    }

    /** The EUI-64 held in 8 big-endian bytes. */
    public static Eui64 fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != 8) {
            throw new IllegalArgumentException("EUI-64 must be exactly 8 bytes");
        }
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return new Eui64(v);
    }

    /** 8 big-endian bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[8];
        for (int i = 7, v = 0; i >= 0; i--, v++) {
            out[i] = (byte) (value >>> (8 * v));
        }
        return out;
    }

    /** The canonical form, {@code 00-11-22-FF-FE-33-44-55}. */
    public String canonical() {
        return HexFormat.ofDelimiter("-").withUpperCase().formatHex(toBytes());
    }

    /** Lower-case hex without separators, {@code 001122fffe334455}. */
    public String compact() {
        return HexFormat.of().formatHex(toBytes());
    }

    /** The RFC 9039 device URN, {@code urn:dev:mac:001122fffe334455}. */
    public String urn() {
        return "urn:dev:mac:" + compact();
    }

    @Override
    public String toString() {
        return canonical();
    }

    private static String abbreviate(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}
