package dev.fleetkey.bundle.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleCodec;
import dev.fleetkey.bundle.BundleJson;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.VerifiedBundle;
import dev.fleetkey.bundle.testing.GoldenVectorGenerator;
import dev.fleetkey.bundle.testing.GoldenVectors;
import dev.fleetkey.bundle.testing.TestVectorKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The committed golden vectors in firmware-bundles/test-vectors: what any implementation must agree with. */
class GoldenVectorsTest {

    private static final GoldenVectors.Manifest MANIFEST = load();

    static List<GoldenVectors.Vector> vectors() {
        return MANIFEST.vectors();
    }

    static List<GoldenVectors.Vector> validVectors() {
        return MANIFEST.vectors().stream().filter(v -> v.json() != null).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void everyVectorHasItsManifestOutcome(GoldenVectors.Vector v) throws Exception {
        assertThat(MANIFEST.outcome(v)).as(v.description()).isEqualTo(v.expect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validVectors")
    void validVectorsDecodeToTheirExpectedJson(GoldenVectors.Vector v) throws Exception {
        VerifiedBundle verified = MANIFEST.verify(v.withoutRecipientKey());
        assertThat(BundleJson.render(verified.payload(), true)).isEqualTo(MANIFEST.read(v.json()));
        if (v.openedJson() != null) {
            assertThat(BundleJson.render(MANIFEST.verify(v).payload(), true)).isEqualTo(MANIFEST.read(v.openedJson()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validVectors")
    void reEncodingTheDecodedPayloadGivesTheSignedBytes(GoldenVectors.Vector v) throws Exception {
        byte[] signedPayload = (byte[]) new CMSSignedData(Files.readAllBytes(MANIFEST.directory().resolve(v.file())))
                .getSignedContent().getContent();
        VerifiedBundle verified = MANIFEST.verify(v.withoutRecipientKey());
        assertThat(BundleCodec.encode(verified.payload())).isEqualTo(signedPayload);
    }

    @Test
    void sealedVectorsOpenOnlyWithTheRecipientKey() throws Exception {
        GoldenVectors.Vector psk = MANIFEST.vectors().stream().filter(v -> v.name().equals("device-psk")).findFirst().orElseThrow();
        var payload = MANIFEST.verify(psk.withoutRecipientKey()).payload();
        assertThat(payload.hasSealedSecrets()).isTrue();
        assertThat(payload.hasClearSecrets()).isFalse();
        var opened = BundleSecrets.open(payload,
                TestVectorKeys.readPrivateKey(MANIFEST.directory().resolve("test-only-recipient-key.pem")));
        assertThat(opened.hasClearSecrets()).isTrue();
    }

    @Test
    void manifestCoversEveryRejectionRule() {
        Set<String> outcomes = MANIFEST.vectors().stream().map(GoldenVectors.Vector::expect).collect(Collectors.toSet());
        assertThat(outcomes).contains("ok", "bad-signature", "untrusted-signer", "wrong-kind", "wrong-device", "expired",
                "not-yet-valid", "rollback", "unsupported-format", "oversize", "malformed", "clear-secrets",
                "undecryptable-secrets");
    }

    @Test
    void theDocumentedGeneratorReproducesTheCommittedVectorsByteForByte(@TempDir Path out) throws Exception {
        GoldenVectorGenerator.generate(out);
        Set<String> generated = names(out);
        assertThat(names(MANIFEST.directory())).as("files in test-vectors/").isEqualTo(generated);
        for (String name : generated) {
            assertThat(Arrays.equals(Files.readAllBytes(out.resolve(name)), Files.readAllBytes(MANIFEST.directory().resolve(name))))
                    .as(name + " differs from what the generator writes now: a compatibility break, or regenerate"
                            + " (see test-vectors/README.md)").isTrue();
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(n -> !n.equals("README.md"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static GoldenVectors.Manifest load() {
        try {
            return GoldenVectors.load(GoldenVectors.directory());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
