package dev.fleetkey.bundle.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleCodec;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.testing.GoldenVectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.cms.CMSSignedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The openssl commands FORMAT.md documents, run for real against the golden vectors. */
class OpensslInteropIT {

    private static final String OPENSSL = "/usr/bin/openssl";

    @TempDir
    Path tmp;

    private final Path dir = GoldenVectors.directory();

    @Test
    void opensslVerifiesEveryValidVectorAndExtractsItsPayload() throws Exception {
        for (GoldenVectors.Vector v : GoldenVectors.load(dir).vectors()) {
            if (v.json() == null) {
                continue;
            }
            Path payload = tmp.resolve(v.name() + ".cbor");
            Result r = run(OPENSSL, "cms", "-verify", "-inform", "DER", "-binary", "-CAfile", "signer.pem",
                    "-certfile", "signer.pem", "-in", v.file(), "-out", payload.toString());
            assertThat(r.exit).as(v.name() + ": " + r.output).isZero();
            byte[] signed = (byte[]) new CMSSignedData(Files.readAllBytes(dir.resolve(v.file()))).getSignedContent().getContent();
            assertThat(Files.readAllBytes(payload)).as(v.name()).isEqualTo(signed);
        }
    }

    @Test
    void opensslRefusesTheTamperedAndTheForeignBundle() throws Exception {
        for (String file : List.of("bad-signature.der", "untrusted-signer.der")) {
            Result r = run(OPENSSL, "cms", "-verify", "-inform", "DER", "-binary", "-CAfile", "signer.pem",
                    "-certfile", "signer.pem", "-in", file, "-out", tmp.resolve("x.cbor").toString());
            assertThat(r.exit).as(file + ": " + r.output).isNotZero();
        }
    }

    @Test
    void opensslOpensTheSealedSecretsWithTheRecipientKey() throws Exception {
        byte[] signed = (byte[]) new CMSSignedData(Files.readAllBytes(dir.resolve("device-x509.der"))).getSignedContent().getContent();
        BundlePayload payload = BundleCodec.decode(signed);
        Path envelope = tmp.resolve("secrets.der");
        Files.write(envelope, payload.sealedSecrets());
        Path plain = tmp.resolve("secrets.cbor");
        Result r = run(OPENSSL, "cms", "-decrypt", "-inform", "DER", "-in", envelope.toString(),
                "-inkey", "test-only-recipient-key.pem", "-out", plain.toString());
        assertThat(r.exit).as(r.output).isZero();
        // {0: {3: PKCS#8 private key}}
        byte[] secrets = Files.readAllBytes(plain);
        assertThat(secrets[0]).isEqualTo((byte) 0xA1);
        assertThat(secrets[1]).isEqualTo((byte) 0x00);

        Result wrong = run(OPENSSL, "cms", "-decrypt", "-inform", "DER", "-in", envelope.toString(),
                "-inkey", "test-only-other-recipient-key.pem", "-out", tmp.resolve("no.cbor").toString());
        assertThat(wrong.exit).as(wrong.output).isNotZero();
    }

    private record Result(int exit, String output) {
    }

    private Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
