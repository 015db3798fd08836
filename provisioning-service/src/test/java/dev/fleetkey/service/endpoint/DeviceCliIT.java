package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/**
 * The shaded {@code fleetkey-device.jar}, run as a device would run it (a separate JVM with a 32 MB heap),
 * against the endpoint in all three modes: GET, POST, session resumption through {@code --state-dir}.
 */
class DeviceCliIT {

    /** Built by the cli module's package phase, which runs before this module's integration tests. */
    private static final Path JAR = Path.of("..", "client-runtime", "cli", "target", "fleetkey-device.jar");

    private EcdheEndpointFixture fixture;

    @TempDir
    Path dir;

    /** What one CLI process produced. */
    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        fixture = new EcdheEndpointFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void cliInA32MegabyteHeapTalksToTheEndpointInEveryModeAndResumesAcrossRuns() throws Exception {
        assertThat(JAR).as("the shaded CLI jar; build client-runtime/cli with 'package' first").isRegularFile();
        Path trust = TestCertificates.writePem(dir.resolve("signer.pem"), TestBundles.SIGNER.certificate());
        Map<String, BundlePayload> bundles = Map.of("psk", fixture.pskBundle(DeviceBundles.FAST),
                "rpk", fixture.rpkBundle(DeviceBundles.FAST), "x509", fixture.x509Bundle(DeviceBundles.FAST));
        for (Map.Entry<String, BundlePayload> mode : bundles.entrySet()) {
            Path bundle = Files.write(dir.resolve(mode.getKey() + ".bundle"), TestBundles.signer().sign(mode.getValue()));
            Path state = Files.createDirectories(dir.resolve("state-" + mode.getKey()));
            List<String> server = List.of("--bundle", bundle.toString(), "--trust", trust.toString(),
                    "--server", "fleetkey", "--address", "127.0.0.1:" + fixture.address().getPort(), "--verbose");

            Run first = cli(state, "get", server, "/hello");
            Run second = cli(state, "get", server, "/hello");

            assertThat(first.exitCode()).as(mode.getKey() + ": " + first.err()).isZero();
            assertThat(first.out().trim()).isEqualTo(TestBundles.GOOD_DEVICE.canonical());
            assertThat(first.err()).contains("session resumed: no").containsPattern("handshake bytes: sent \\d+");
            assertThat(second.exitCode()).as(mode.getKey() + ": " + second.err()).isZero();
            assertThat(second.err()).as(mode.getKey()).contains("session resumed: yes");
        }
    }

    @Test
    void postToAPathTheEndpointDoesNotServeEndsWithTheCoapErrorExitCode() throws Exception {
        Path trust = TestCertificates.writePem(dir.resolve("signer.pem"), TestBundles.SIGNER.certificate());
        Path bundle = Files.write(dir.resolve("rpk.bundle"),
                TestBundles.signer().sign(fixture.rpkBundle(DeviceBundles.FAST)));

        Run run = cli(dir, "post", List.of("--bundle", bundle.toString(), "--trust", trust.toString(),
                "--server", "fleetkey", "--address", "127.0.0.1:" + fixture.address().getPort(), "--data", "fw=1.0"),
                "/no-such-resource");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
        assertThat(run.err()).contains("the server answered 4.04");
    }

    @Test
    void wrongPskEndsWithExitCode3AndNamesTheAlert() throws Exception {
        Path trust = TestCertificates.writePem(dir.resolve("signer.pem"), TestBundles.SIGNER.certificate());
        byte[] wrong = EcdheEndpointFixture.PSK.clone();
        wrong[3] ^= 1;
        Path bundle = Files.write(dir.resolve("psk.bundle"), TestBundles.signer().sign(DeviceBundles.psk("fleetkey",
                EcdheEndpointFixture.SERVER_URI, EcdheEndpointFixture.PSK_IDENTITY, wrong, DeviceBundles.FAST)));

        Run run = cli(dir, "get", List.of("--bundle", bundle.toString(), "--trust", trust.toString(),
                "--server", "fleetkey", "--address", "127.0.0.1:" + fixture.address().getPort()), "/hello");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("decrypt_error").contains("does not accept this device's PSK");
    }

    private static Run cli(Path state, String command, List<String> options, String path)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-jar", JAR.toString(), command, "--state-dir", state.toString()));
        line.addAll(options);
        line.add(path);
        Process process = new ProcessBuilder(line).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }
}
