package dev.fleetkey.service.est;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the multipart-core answers of {@code /skg}: a CBOR array of unsigned integers and byte strings. */
final class MultipartCoreReader {

    private MultipartCoreReader() {
    }

    /** The items, as {@code Long} (a Content-Format) or {@code byte[]} (a part). */
    static List<Object> read(byte[] cbor) {
        int[] at = {0};
        long[] head = head(cbor, at);
        if (head[0] != 4) {
            throw new IllegalArgumentException("not a CBOR array: major type " + head[0]);
        }
        List<Object> items = new ArrayList<>();
        for (long i = 0; i < head[1]; i++) {
            long[] item = head(cbor, at);
            if (item[0] == 0) {
                items.add(item[1]);
            } else if (item[0] == 2) {
                items.add(Arrays.copyOfRange(cbor, at[0], at[0] + (int) item[1]));
                at[0] += (int) item[1];
            } else {
                throw new IllegalArgumentException("unexpected CBOR major type " + item[0]);
            }
        }
        if (at[0] != cbor.length) {
            throw new IllegalArgumentException((cbor.length - at[0]) + " bytes after the array");
        }
        return items;
    }

    private static long[] head(byte[] cbor, int[] at) {
        int initial = cbor[at[0]++] & 0xff;
        int info = initial & 0x1f;
        long value = info;
        int length = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
        if (length > 0) {
            value = 0;
            for (int i = 0; i < length; i++) {
                value = (value << 8) | (cbor[at[0]++] & 0xff);
            }
        }
        return new long[] {initial >> 5, value};
    }
}
