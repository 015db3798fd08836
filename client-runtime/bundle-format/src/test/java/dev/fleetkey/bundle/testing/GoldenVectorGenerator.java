package dev.fleetkey.bundle.testing;

import com.upokecenter.cbor.CBOREncodeOptions;
import com.upokecenter.cbor.CBORObject;
import dev.fleetkey.bundle.BundleCodec;
import dev.fleetkey.bundle.BundleJson;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleSigner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes the golden test vectors into {@code firmware-bundles/test-vectors} (or the directory given as
 * the first argument). Every run writes the same bytes: fixed TEST ONLY keys, fixed times, RFC 6979
 * signatures and a seeded random for the sealed secrets. Run it with
 * <pre>./mvnw -q -B -pl client-runtime/bundle-format test-compile exec:java \
 *     -Dexec.mainClass=dev.fleetkey.bundle.testing.GoldenVectorGenerator -Dexec.classpathScope=test</pre>
 */
public final class GoldenVectorGenerator {

    static final String RECIPIENT_KEY_FILE = "test-only-recipient-key.pem";
    private static final CBOREncodeOptions KEEP_ORDER = new CBOREncodeOptions("keepkeyorder=true");

    private final Path dir;
    private final List<String> entries = new ArrayList<>();

    private GoldenVectorGenerator(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : GoldenVectors.directory();
        generate(dir);
        System.out.println("wrote golden bundle vectors to " + dir.toAbsolutePath());
    }

    /** Writes every vector file and the manifest into {@code dir}. */
    public static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        new GoldenVectorGenerator(dir).writeAll();
        UpdateVectors.write(dir);
    }

    private void writeAll() throws IOException {
        writeKeys();
        BundleSigner signer = new BundleSigner(VectorPayloads.SIGNER_KEY.getPrivate(), VectorPayloads.SIGNER, false);
        String device = VectorPayloads.DEVICE.canonical();
        String now = VectorPayloads.NOW.toString();
        String deviceOk = ctx("device", device, 4, now, RECIPIENT_KEY_FILE);

        byte[] psk = valid("device-psk", "PSK device bundle, secrets sealed for the station transport key", signer,
                sealed(VectorPayloads.devicePsk("device-psk", false)), deviceOk);
        valid("device-rpk", "raw-public-key device bundle, server pinned by SHA-256, private key sealed", signer,
                sealed(VectorPayloads.deviceRpk()), deviceOk);
        valid("device-x509", "certificate device bundle: client leaf, server trust anchor, private key sealed", signer,
                sealed(VectorPayloads.deviceX509()), deviceOk);
        valid("device-psk-clear", "PSK device bundle with its secret in clear, marked secrets-in-clear (development)",
                signer, VectorPayloads.devicePsk("device-psk-clear", true), ctx("device", device, 4, now, null));
        valid("fleet", "fleet bundle: PSK, RPK (key and next key's pin) and X.509 servers, no secrets",
                signer, VectorPayloads.fleet(), ctx("fleet", null, 2, now, null));

        byte[] pskPayload = BundleCodec.encode(sealed(VectorPayloads.devicePsk("device-psk", false)));
        byte[] tampered = psk.clone();
        tampered[TestBytes.requireIndexOf(psk, pskPayload) + 20] ^= 0x01; // a byte of the bundle id
        bad("bad-signature", "device-psk with one payload byte changed after signing", tampered, deviceOk, "bad-signature");
        bad("untrusted-signer", "device-psk signed by a key the device does not trust",
                new BundleSigner(VectorPayloads.UNTRUSTED_SIGNER_KEY.getPrivate(), VectorPayloads.UNTRUSTED_SIGNER, true)
                        .signEncoded(pskPayload), deviceOk, "untrusted-signer");
        reuse("wrong-kind", "the fleet bundle where a device bundle is expected", "fleet.der",
                ctx("device", device, 4, now, null), "wrong-kind");
        reuse("wrong-device", "device-psk checked by another device", "device-psk.der",
                ctx("device", VectorPayloads.OTHER_DEVICE.canonical(), 4, now, null), "wrong-device");
        reuse("expired", "device-psk checked one second after not-after", "device-psk.der",
                ctx("device", device, 4, VectorPayloads.NOT_AFTER.plusSeconds(1).toString(), null), "expired");
        reuse("not-yet-valid", "device-psk checked ten minutes before issued-at (beyond the 5 minute clock skew)",
                "device-psk.der", ctx("device", device, 4, VectorPayloads.ISSUED_AT.minusSeconds(600).toString(), null),
                "not-yet-valid");
        reuse("rollback", "device-psk on a device that already accepted sequence 5", "device-psk.der",
                ctx("device", device, 5, now, null), "rollback");
        bad("unsupported-version", "payload with format version 2", signer.signEncoded(edit(pskPayload, m -> m.Set(1, 2))),
                deviceOk, "unsupported-format");
        bad("unknown-critical-field", "payload with unknown field 99 (non-negative: critical)",
                signer.signEncoded(edit(pskPayload, m -> m.Add(99, "from the future"))), deviceOk, "unsupported-format");
        bad("ignorable-extension", "payload with extension field -1 (negative: ignorable); accepted",
                signer.signEncoded(edit(pskPayload, m -> m.Add(-1, "a note for newer readers"))), deviceOk, "ok");
        byte[] garbage = new byte[1000];
        Arrays.fill(garbage, (byte) 0xFF);
        bad("oversize", "1000 bytes of garbage to a verifier limited to 512 bytes: refused before parsing", garbage,
                deviceOk.replace("}", ", \"maxSize\": 512}"), "oversize");
        bad("truncated", "device-psk cut in half", Arrays.copyOf(psk, psk.length / 2), deviceOk, "malformed");
        bad("not-cms", "a DER INTEGER instead of CMS SignedData", new byte[] {0x02, 0x01, 0x05}, deviceOk, "malformed");
        bad("non-deterministic-cbor", "payload map with keys out of order", signer.signEncoded(outOfOrder(pskPayload)),
                deviceOk, "malformed");
        bad("clear-secrets-without-flag", "PSK in clear without the secrets-in-clear flag",
                signer.signEncoded(edit(BundleCodec.encode(VectorPayloads.devicePsk("device-psk-clear", true)),
                        m -> m.Remove(CBORObject.FromObject(11)))), deviceOk, "clear-secrets");
        bad("undecryptable-secrets", "device-psk sealed for another station's transport key",
                signer.sign(sealed(VectorPayloads.devicePsk("device-psk", false), VectorPayloads.OTHER_RECIPIENT_KEY)),
                deviceOk, "undecryptable-secrets");
        writeManifest();
    }

    private static BundlePayload sealed(BundlePayload payload) {
        return sealed(payload, VectorPayloads.RECIPIENT_KEY);
    }

    private static BundlePayload sealed(BundlePayload payload, KeyPair recipient) {
        return BundleSecrets.seal(payload, BundleSecrets.recipientKeyId(recipient.getPublic()), recipient.getPublic(),
                new SeededRandom("sealing " + payload.bundleIdHex()));
    }

    private byte[] valid(String name, String description, BundleSigner signer, BundlePayload payload, String context)
            throws IOException {
        byte[] bundle = signer.sign(payload);
        write(name + ".der", bundle);
        write(name + ".json", BundleJson.render(payload, true).getBytes(StandardCharsets.UTF_8));
        String opened = "";
        if (payload.hasSealedSecrets()) {
            try {
                write(name + ".opened.json", BundleJson.render(
                        BundleSecrets.open(payload, VectorPayloads.RECIPIENT_KEY.getPrivate()), true).getBytes(StandardCharsets.UTF_8));
            } catch (dev.fleetkey.bundle.BundleException e) {
                throw new IllegalStateException("the generator cannot open its own sealed secrets", e);
            }
            opened = ", \"openedJson\": \"" + name + ".opened.json\"";
        }
        entries.add(entry(name, name + ".der", description, context, "ok") + ", \"json\": \"" + name + ".json\"" + opened + "}");
        return bundle;
    }

    private void bad(String name, String description, byte[] bundle, String context, String expect) throws IOException {
        write(name + ".der", bundle);
        entries.add(entry(name, name + ".der", description, context, expect) + "}");
    }

    private void reuse(String name, String description, String file, String context, String expect) {
        entries.add(entry(name, file, description, context, expect) + "}");
    }

    private static String entry(String name, String file, String description, String context, String expect) {
        return "{\"name\": " + str(name) + ", \"file\": " + str(file) + ", \"description\": " + str(description)
                + ",\n     \"context\": " + context + ", \"expect\": " + str(expect);
    }

    private static String ctx(String kind, String device, long last, String now, String recipientKey) {
        return "{\"kind\": " + str(kind) + (device == null ? "" : ", \"device\": " + str(device))
                + ", \"lastSequence\": " + last + ", \"now\": " + str(now)
                + (recipientKey == null ? "" : ", \"recipientKey\": " + str(recipientKey)) + "}";
    }

    private static String str(String s) {
        return CBORObject.FromObject(s).ToJSONString();
    }

    private void writeManifest() throws IOException {
        String json = "{\n  \"description\": \"Fleetkey bundle format v1 golden vectors; see README.md and ../FORMAT.md\",\n"
                + "  \"trustAnchor\": \"signer.pem\",\n  \"clockSkewSeconds\": 300,\n  \"vectors\": [\n    "
                + String.join(",\n    ", entries) + "\n  ]\n}\n";
        write("manifest.json", json.getBytes(StandardCharsets.UTF_8));
    }

    private void writeKeys() throws IOException {
        try {
            write("signer.pem", TestVectorKeys.pem("CERTIFICATE", VectorPayloads.SIGNER.getEncoded()).getBytes(StandardCharsets.US_ASCII));
            write("untrusted-signer.pem", TestVectorKeys.pem("CERTIFICATE", VectorPayloads.UNTRUSTED_SIGNER.getEncoded())
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        writeKey("test-only-signer-key.pem", VectorPayloads.SIGNER_KEY);
        writeKey(RECIPIENT_KEY_FILE, VectorPayloads.RECIPIENT_KEY);
        writeKey("test-only-other-recipient-key.pem", VectorPayloads.OTHER_RECIPIENT_KEY);
    }

    private void writeKey(String file, KeyPair key) throws IOException {
        write(file, TestVectorKeys.pem("PRIVATE KEY", key.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII));
    }

    private void write(String file, byte[] bytes) throws IOException {
        Files.write(dir.resolve(file), bytes);
    }

    private interface Edit {
        void apply(CBORObject map);
    }

    /** Changes a deterministic payload in place, keeping the key order (new keys go last and sort last). */
    private static byte[] edit(byte[] payload, Edit edit) {
        CBORObject m = CBORObject.DecodeFromBytes(payload, KEEP_ORDER);
        edit.apply(m);
        return m.EncodeToBytes();
    }

    private static byte[] outOfOrder(byte[] payload) {
        CBORObject m = CBORObject.DecodeFromBytes(payload, KEEP_ORDER);
        CBORObject reversed = CBORObject.NewOrderedMap();
        List<CBORObject> keys = new ArrayList<>(m.getKeys());
        for (int i = keys.size() - 1; i >= 0; i--) {
            reversed.Add(keys.get(i), m.get(keys.get(i)));
        }
        return reversed.EncodeToBytes();
    }

}
