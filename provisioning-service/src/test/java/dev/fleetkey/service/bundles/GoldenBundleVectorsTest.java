package dev.fleetkey.service.bundles;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleCodec;
import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleJson;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.VerifiedBundle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed golden bundle vectors (firmware-bundles/test-vectors), read through the service's
 * classpath: the service signs bundles with the same codec the devices verify, so it must agree with
 * every vector's outcome, decoded JSON and payload bytes. Plain JUnit: no Spring context needed.
 */
class GoldenBundleVectorsTest {

    private static final Path DIR = vectorsDirectory();
    private static final JsonNode MANIFEST = JsonMapper.builder().build().readTree(read("manifest.json"));

    static List<JsonNode> vectors() {
        List<JsonNode> out = new ArrayList<>(MANIFEST.get("vectors").values());
        assertThat(out).isNotEmpty();
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void serviceClasspathAgreesWithEveryVector(JsonNode vector) throws Exception {
        String expected = vector.get("expect").asString();
        String outcome;
        VerifiedBundle verified = null;
        try {
            verified = verify(vector, true);
            outcome = "ok";
        } catch (BundleException e) {
            outcome = e.reason();
        }
        assertThat(outcome).as(vector.get("description").asString()).isEqualTo(expected);
        if (!vector.has("json")) {
            return;
        }
        VerifiedBundle sealed = verify(vector, false);
        assertThat(BundleJson.render(sealed.payload(), true)).isEqualTo(read(vector.get("json").asString()));
        byte[] signedPayload = (byte[]) new CMSSignedData(Files.readAllBytes(DIR.resolve(vector.get("file").asString())))
                .getSignedContent().getContent();
        assertThat(BundleCodec.encode(sealed.payload())).isEqualTo(signedPayload);
        if (vector.has("openedJson")) {
            assertThat(BundleJson.render(verified.payload(), true)).isEqualTo(read(vector.get("openedJson").asString()));
        }
    }

    private static VerifiedBundle verify(JsonNode vector, boolean openSecrets) throws BundleException, IOException {
        JsonNode c = vector.get("context");
        BundleVerifier.Builder builder = BundleVerifier.builder().trustAnchor(certificate(MANIFEST.get("trustAnchor").asString()));
        if (c.has("maxSize")) {
            builder.maxSize(c.get("maxSize").asInt());
        }
        VerificationContext context = new VerificationContext(BundleKind.valueOf(c.get("kind").asString().toUpperCase()),
                c.has("device") ? Eui64.parse(c.get("device").asString()) : null, c.get("lastSequence").asLong(),
                Instant.parse(c.get("now").asString()), Duration.ofSeconds(MANIFEST.get("clockSkewSeconds").asLong()));
        byte[] bundle = Files.readAllBytes(DIR.resolve(vector.get("file").asString()));
        if (openSecrets && c.has("recipientKey")) {
            return builder.build().verify(bundle, context, privateKey(c.get("recipientKey").asString()));
        }
        return builder.build().verify(bundle, context);
    }

    private static X509Certificate certificate(String file) throws IOException {
        try (InputStream in = Files.newInputStream(DIR.resolve(file))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not a certificate", e);
        }
    }

    private static PrivateKey privateKey(String file) throws IOException {
        String body = read(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + " is not a PKCS#8 EC key", e);
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read golden vector file " + DIR.resolve(file), e);
        }
    }

    /** Maven runs this module's tests in provisioning-service/: walk up to the folder holding firmware-bundles/. */
    private static Path vectorsDirectory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("firmware-bundles").resolve("test-vectors"))) {
                return p.resolve("firmware-bundles").resolve("test-vectors");
            }
        }
        throw new IllegalStateException("no firmware-bundles/test-vectors above " + Path.of("").toAbsolutePath());
    }
}
