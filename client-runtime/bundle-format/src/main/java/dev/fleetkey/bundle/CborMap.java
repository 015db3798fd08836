package dev.fleetkey.bundle;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Typed, strict reads from a CBOR map with integer keys. Every failure names the field by its path
 * (e.g. {@code servers[0].uri}) so a malformed bundle says where it is broken. Public for the format's
 * other signed objects (update manifests).
 */
public final class CborMap {

    private final CBORObject map;
    private final String path;

    private CborMap(CBORObject map, String path) {
        this.map = map;
        this.path = path;
    }

    public static CborMap of(CBORObject value, String path) throws MalformedBundleException {
        if (value == null || value.getType() != CBORType.Map) {
            throw new MalformedBundleException(path + " must be a map");
        }
        return new CborMap(value, path);
    }

    /**
     * Refuses integer keys >= 0 outside {@code known}: those are critical. Negative keys are
     * extensions a reader may ignore; any other key type is malformed.
     */
    public CborMap requireOnlyKnownKeys(Set<Integer> known) throws MalformedBundleException, UnsupportedFormatException {
        for (CBORObject key : map.getKeys()) {
            if (key.isTagged() || key.getType() != CBORType.Integer || !key.CanValueFitInInt32()) {
                throw new MalformedBundleException(path + " has a key that is not a small integer");
            }
            int k = key.AsInt32();
            if (k >= 0 && !known.contains(k)) {
                throw new UnsupportedFormatException(path + " has unknown critical field " + k
                        + ": this bundle needs a newer reader");
            }
        }
        return this;
    }

    public boolean has(int key) {
        return map.ContainsKey(key);
    }

    String field(int key, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    public long uint(int key, String name) throws MalformedBundleException {
        CBORObject v = required(key, name);
        if (v.getType() != CBORType.Integer || !v.CanValueFitInInt64() || v.AsInt64Value() < 0) {
            throw new MalformedBundleException(field(key, name) + " must be an unsigned integer");
        }
        return v.AsInt64Value();
    }

    public byte[] bytes(int key, String name) throws MalformedBundleException {
        CBORObject v = required(key, name);
        if (v.getType() != CBORType.ByteString) {
            throw new MalformedBundleException(field(key, name) + " must be a byte string");
        }
        return v.GetByteString();
    }

    public byte[] optionalBytes(int key, String name) throws MalformedBundleException {
        return has(key) ? bytes(key, name) : null;
    }

    public String text(int key, String name) throws MalformedBundleException {
        CBORObject v = required(key, name);
        if (v.getType() != CBORType.TextString) {
            throw new MalformedBundleException(field(key, name) + " must be a text string");
        }
        return v.AsString();
    }

    public boolean bool(int key, String name) throws MalformedBundleException {
        CBORObject v = required(key, name);
        if (v.getType() != CBORType.Boolean) {
            throw new MalformedBundleException(field(key, name) + " must be true or false");
        }
        return v.isTrue();
    }

    public CborMap map(int key, String name) throws MalformedBundleException {
        return of(required(key, name), field(key, name));
    }

    public List<CBORObject> array(int key, String name) throws MalformedBundleException {
        CBORObject v = required(key, name);
        if (v.getType() != CBORType.Array) {
            throw new MalformedBundleException(field(key, name) + " must be an array");
        }
        List<CBORObject> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(v.get(i));
        }
        return out;
    }

    /**
     * A template reference, {@code [id, version]}: a text string and an integer that fits 32 bits. The caller
     * builds the {@link TemplateRef} from them, among its other rules.
     */
    public List<CBORObject> templateReference(int key, String name) throws MalformedBundleException {
        List<CBORObject> template = array(key, name);
        if (template.size() != 2 || template.get(0).getType() != CBORType.TextString
                || template.get(1).getType() != CBORType.Integer || !template.get(1).CanValueFitInInt32()) {
            throw new MalformedBundleException(field(key, name) + " must be [id, version]");
        }
        return template;
    }

    public List<byte[]> byteStrings(int key, String name) throws MalformedBundleException {
        if (!has(key)) {
            return List.of();
        }
        List<byte[]> out = new ArrayList<>();
        List<CBORObject> items = array(key, name);
        if (items.isEmpty()) {
            throw new MalformedBundleException(field(key, name) + " is empty and must then be omitted");
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).getType() != CBORType.ByteString) {
                throw new MalformedBundleException(field(key, name) + "[" + i + "] must be a byte string");
            }
            out.add(items.get(i).GetByteString());
        }
        return out;
    }

    private CBORObject required(int key, String name) throws MalformedBundleException {
        CBORObject v = map.GetOrDefault(CBORObject.FromObject(key), null);
        if (v == null) {
            throw new MalformedBundleException(field(key, name) + " is missing");
        }
        return v;
    }
}
