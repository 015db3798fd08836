package dev.fleetkey.bundle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Defensive copies and content equality for the byte arrays the payload records hold. */
final class Bytes {

    private Bytes() {
    }

    static byte[] copy(byte[] bytes) {
        return bytes == null ? null : bytes.clone();
    }

    static List<byte[]> copy(List<byte[]> list) {
        if (list == null) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>(list.size());
        for (byte[] b : list) {
            if (b == null) {
                throw new IllegalArgumentException("list entries must not be null");
            }
            out.add(b.clone());
        }
        return Collections.unmodifiableList(out);
    }

    static boolean equal(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static int hash(List<byte[]> list) {
        int h = 1;
        for (byte[] b : list) {
            h = 31 * h + Arrays.hashCode(b);
        }
        return h;
    }
}
