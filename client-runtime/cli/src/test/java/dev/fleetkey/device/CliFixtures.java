package dev.fleetkey.device;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.testing.TestBundles;

/** Files and an in-process runner for CLI tests. */
final class CliFixtures {

    /** What one in-process run produced. */
    record Run(int exitCode, String out, String err) {
    }

    private CliFixtures() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = FleetkeyDevice.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path signerPem(Path dir) throws IOException, CertificateEncodingException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(TestBundles.SIGNER.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(dir.resolve("signer.pem"), pem);
    }

    static Path write(Path dir, String name, BundlePayload payload) throws IOException {
        return Files.write(dir.resolve(name), TestBundles.signer().sign(payload));
    }

    /** A PSK device bundle whose server "fleetkey" is reached at {@code uri}, with short DTLS timers. */
    static BundlePayload pskBundle(URI uri, byte[] identity, byte[] key) {
        ServerEntry server = new ServerEntry("fleetkey", uri, null, CredentialMode.PSK,
                List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8), new ServerCredentials.Psk(identity, key));
        Instant now = Instant.now();
        return new BundlePayload(BundlePayload.FORMAT_VERSION, BundleKind.DEVICE, new byte[16], 1,
                now.minusSeconds(60), now.plus(Duration.ofDays(1)), TestBundles.GOOD_DEVICE,
                TestBundles.GOOD_TEMPLATE, List.of(server), new DtlsPolicy(Duration.ofMillis(200), true, false), true);
    }
}
