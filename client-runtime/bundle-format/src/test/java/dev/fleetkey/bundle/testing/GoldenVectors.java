package dev.fleetkey.bundle.testing;

import com.upokecenter.cbor.CBORObject;
import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.VerifiedBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code firmware-bundles/test-vectors/manifest.json} and runs its vectors through the verifier. */
public final class GoldenVectors {

    private GoldenVectors() {
    }

    /**
     * The committed vectors folder, found by walking up from the working directory (Maven runs a
     * module's tests in the module directory) to the folder holding {@code firmware-bundles/}.
     */
    public static Path directory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("firmware-bundles").resolve("test-vectors");
            if (Files.isDirectory(p.resolve("firmware-bundles"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no firmware-bundles/ folder above " + Path.of("").toAbsolutePath());
    }

    /** One manifest entry. */
    public record Vector(String name, String file, String description, BundleKind kind, Eui64 device,
                         long lastSequence, Instant now, Integer maxSize, String recipientKey, String expect,
                         String json, String openedJson) {
        /** The same vector checked without opening its sealed secrets. */
        public Vector withoutRecipientKey() {
            return new Vector(name, file, description, kind, device, lastSequence, now, maxSize, null, expect, json,
                    openedJson);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The manifest's entries and trust anchor. */
    public record Manifest(Path directory, String trustAnchor, Duration clockSkew, List<Vector> vectors) {

        /** Verifies {@code v}'s file (opening sealed secrets when the context names a recipient key). */
        public VerifiedBundle verify(Vector v) throws BundleException, IOException {
            return check(v).verify(Files.readAllBytes(directory.resolve(v.file())));
        }

        /** The verifier, context and recipient key {@code v} describes, to run on any bytes. */
        public Check check(Vector v) throws IOException {
            BundleVerifier.Builder builder = BundleVerifier.builder()
                    .trustAnchor(TestVectorKeys.readCertificate(directory.resolve(trustAnchor)));
            if (v.maxSize() != null) {
                builder.maxSize(v.maxSize());
            }
            VerificationContext context = new VerificationContext(v.kind(), v.device(), v.lastSequence(), v.now(), clockSkew);
            PrivateKey key = v.recipientKey() == null ? null : TestVectorKeys.readPrivateKey(directory.resolve(v.recipientKey()));
            return new Check(builder.build(), context, key);
        }

        /** "ok", or the refusal's {@link BundleException#reason()}. */
        public String outcome(Vector v) throws IOException {
            try {
                verify(v);
                return "ok";
            } catch (BundleException e) {
                return e.reason();
            }
        }

        public String read(String file) throws IOException {
            return Files.readString(directory.resolve(file), StandardCharsets.UTF_8);
        }
    }

    /** A verifier and what it expects. */
    public record Check(BundleVerifier verifier, VerificationContext context, PrivateKey recipientKey) {
        public VerifiedBundle verify(byte[] bundle) throws BundleException {
            return recipientKey == null ? verifier.verify(bundle, context) : verifier.verify(bundle, context, recipientKey);
        }
    }

    public static Manifest load(Path dir) throws IOException {
        CBORObject m = CBORObject.FromJSONString(Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8));
        List<Vector> vectors = new ArrayList<>();
        CBORObject items = m.get("vectors");
        for (int i = 0; i < items.size(); i++) {
            CBORObject v = items.get(i);
            CBORObject c = v.get("context");
            vectors.add(new Vector(text(v, "name"), text(v, "file"), text(v, "description"),
                    BundleKind.valueOf(text(c, "kind").toUpperCase()),
                    c.ContainsKey("device") ? Eui64.parse(text(c, "device")) : null,
                    c.get("lastSequence").AsInt64Value(), Instant.parse(text(c, "now")),
                    c.ContainsKey("maxSize") ? c.get("maxSize").AsInt32Value() : null,
                    c.ContainsKey("recipientKey") ? text(c, "recipientKey") : null, text(v, "expect"),
                    v.ContainsKey("json") ? text(v, "json") : null, v.ContainsKey("openedJson") ? text(v, "openedJson") : null));
        }
        return new Manifest(dir, text(m, "trustAnchor"), Duration.ofSeconds(m.get("clockSkewSeconds").AsInt64Value()),
                List.copyOf(vectors));
    }

    private static String text(CBORObject o, String key) {
        return o.get(key).AsString();
    }
}
