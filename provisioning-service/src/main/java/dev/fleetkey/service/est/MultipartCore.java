package dev.fleetkey.service.est;

import java.io.ByteArrayOutputStream;

/**
 * {@code application/multipart-core} (RFC 8710, CoAP Content-Format 62): a CBOR array of Content-Format and
 * payload pairs. Only what {@code /skg} answers: unsigned Content-Formats and byte strings.
 */
final class MultipartCore {

    private MultipartCore() {
    }

    /** Two parts, e.g. the private key and the certificate of RFC 9148 section 4.8. */
    static byte[] of(int firstFormat, byte[] first, int secondFormat, byte[] second) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x84); // array of 4 items
        head(out, 0, firstFormat);
        head(out, 2, first.length);
        out.writeBytes(first);
        head(out, 0, secondFormat);
        head(out, 2, second.length);
        out.writeBytes(second);
        return out.toByteArray();
    }

    /** A CBOR head: major type and an unsigned argument, in the shortest form (RFC 8949 section 3). */
    private static void head(ByteArrayOutputStream out, int majorType, long value) {
        int type = majorType << 5;
        if (value < 24) {
            out.write(type | (int) value);
        } else if (value < 0x100) {
            out.write(type | 24);
            out.write((int) value);
        } else if (value < 0x10000) {
            out.write(type | 25);
            out.write((int) (value >> 8));
            out.write((int) value);
        } else {
            out.write(type | 26);
            for (int shift = 24; shift >= 0; shift -= 8) {
                out.write((int) (value >> shift));
            }
        }
    }
}
