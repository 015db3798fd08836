package dev.fleetkey.bundle;

import com.upokecenter.cbor.CBORException;
import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RFC 8949 section 4.2.1 core deterministic encoding on top of the PeterO CBOR library.
 *
 * <p>Why hand-written: the library's only canonical mode (CTAP2) also caps nesting at four levels,
 * and a bundle nests deeper (bundle, servers, server, credentials, certificate list). The library
 * already writes shortest-form integers and definite lengths; this class adds the map key order
 * (bytewise lexicographic order of the encoded keys) and the check that an input is deterministic.
 * Public for the format's other signed objects (update manifests, {@code dev.fleetkey.bundle.update}).
 */
public final class DeterministicCbor {

    private static final CBOREncodeOptions DECODE =
            new CBOREncodeOptions("allowduplicatekeys=false;keepkeyorder=true;allowempty=false");

    private DeterministicCbor() {
    }

    /** Encodes {@code value} with map keys in bytewise order; tags are refused. */
    public static byte[] encode(CBORObject value) {
        return sorted(value).EncodeToBytes();
    }

    /**
     * Decodes {@code bytes}, refusing anything that is not one item in deterministic encoding.
     */
    public static CBORObject decode(byte[] bytes) throws MalformedBundleException {
        CBORObject value;
        try {
            value = CBORObject.DecodeFromBytes(bytes, DECODE);
        } catch (CBORException | IllegalArgumentException e) {
            throw new MalformedBundleException("payload is not well-formed CBOR: " + e.getMessage());
        }
        byte[] reencoded;
        try {
            reencoded = encode(value);
        } catch (IllegalArgumentException e) {
            throw new MalformedBundleException("payload uses a CBOR feature bundles do not: " + e.getMessage());
        }
        if (!Arrays.equals(reencoded, bytes)) {
            throw new MalformedBundleException("payload is not in deterministic CBOR encoding (RFC 8949 section 4.2.1)");
        }
        return value;
    }

    private static CBORObject sorted(CBORObject value) {
        if (value.isTagged()) {
            throw new IllegalArgumentException("tags are not used in bundles");
        }
        if (value.getType() == CBORType.Array) {
            CBORObject out = CBORObject.NewArray();
            for (int i = 0; i < value.size(); i++) {
                out.Add(sorted(value.get(i)));
            }
            return out;
        }
        if (value.getType() == CBORType.Map) {
            List<Map.Entry<CBORObject, CBORObject>> entries = new ArrayList<>(value.getEntries());
            entries.sort((a, b) -> Arrays.compareUnsigned(a.getKey().EncodeToBytes(), b.getKey().EncodeToBytes()));
            CBORObject out = CBORObject.NewOrderedMap();
            for (Map.Entry<CBORObject, CBORObject> e : entries) {
                out.Add(sorted(e.getKey()), sorted(e.getValue()));
            }
            return out;
        }
        return value;
    }
}
