package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestBytes;
import dev.fleetkey.bundle.testing.TestReleases;
import dev.fleetkey.bundle.update.UpdatePackage;
import dev.fleetkey.device.CliFixtures.Run;
import dev.fleetkey.runtime.testing.CoapWire;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;
import dev.fleetkey.runtime.testing.TestCertificates;

/**
 * {@code install} and {@code update} on a real state directory, then {@code connect --state-dir} over real
 * DTLS to {@code openssl s_server} whose certificate chains only to the anchor the updates brought.
 */
class UpdateCommandIT {

    private static final String HOST = "coap.fleet.example.net";
    private static final URI SERVER_URI = URI.create("coaps://" + HOST + ":5684");

    @TempDir
    static Path files;

    private static TestCertificates.Issued oldRoot;
    private static TestCertificates.Issued newRoot;
    private static TestCertificates.Issued deviceCa;
    private static TestCertificates.Issued device;
    private static Path trust;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() throws Exception {
        oldRoot = TestCertificates.ca("Server Root 2025");
        newRoot = TestCertificates.ca("Server Root 2027");
        deviceCa = TestCertificates.ca("Device CA");
        device = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        trust = CliFixtures.signerPem(files);
    }

    private Path install() throws Exception {
        Path bundle = Files.write(dir.resolve("device.bundle"), TestBundles.signer().sign(DeviceBundles.x509("fleet",
                SERVER_URI, HOST, device, deviceCa.certificate(), oldRoot.certificate(), DeviceBundles.FAST)));
        Path state = dir.resolve("state");
        Run run = CliFixtures.run("install", "--state-dir", state.toString(), "--bundle", bundle.toString(),
                "--trust", trust.toString(), "--hardware-class", TestReleases.HARDWARE);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("installed " + TestBundles.GOOD_DEVICE.canonical()).contains("demo-sensor");
        return state;
    }

    private Path release(String productLine, long sequence, String version, X509Certificate... anchors) throws Exception {
        byte[] pkg = TestReleases.release(TestReleases.fleet(productLine, sequence, DeviceBundles.FAST,
                TestReleases.x509Server("fleet", SERVER_URI, HOST, anchors)), version, ("image " + version).getBytes());
        return Files.write(dir.resolve(productLine + "-" + version + ".fkpkg"), pkg);
    }

    private static Run update(Path state, Path pkg, String... more) {
        return CliFixtures.run(Stream.concat(Stream.of("update", "--state-dir", state.toString(), "--package",
                pkg.toString(), "--trust", trust.toString()), Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void rotatedAnchorReachesTheServerOnlyAfterTheUpdatesAndReplaysAreRefused() throws Exception {
        Path state = install();
        Path one = release("demo-sensor", 1, "1.0.0", oldRoot.certificate());
        Path two = release("demo-sensor", 2, "1.1.0", oldRoot.certificate(), newRoot.certificate());
        Path three = release("demo-sensor", 3, "1.2.0", newRoot.certificate());
        TestCertificates.Issued server = TestCertificates.server(HOST, newRoot);

        assertThat(update(state, one).exitCode()).isZero();
        Run refusedBeforeRotation = connect(state, server, false);
        assertThat(refusedBeforeRotation.exitCode()).as(refusedBeforeRotation.err()).isEqualTo(ExitCodes.CONNECTION_FAILED);
        assertThat(refusedBeforeRotation.err()).contains("does not chain to the bundle's trust anchors [CN=Server Root 2025]");

        Run dryRun = update(state, two, "--dry-run");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("+ anchor fleet: CN=Server Root 2027").contains("dry run: nothing applied")
                .doesNotContain("- anchor");
        Run applied = update(state, two);
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("applied").contains("firmware 1.1.0").contains("kept for fallback");
        assertThat(connect(state, server, true).exitCode()).isZero();

        Run dropOld = update(state, three);
        assertThat(dropOld.exitCode()).as(dropOld.err()).isZero();
        assertThat(dropOld.out()).contains("- anchor fleet: CN=Server Root 2025");
        Run afterDrop = connect(state, server, true);
        assertThat(afterDrop.exitCode()).as(afterDrop.err()).isZero();
        assertThat(afterDrop.out()).contains("hello from the new root");

        Run replay = update(state, one);
        assertThat(replay.exitCode()).isEqualTo(10);
        assertThat(replay.err()).contains("refused (rollback)");

        Run fallback = CliFixtures.run("fallback", "--state-dir", state.toString(), "--trust", trust.toString());
        assertThat(fallback.exitCode()).as(fallback.err()).isZero();
        assertThat(fallback.out()).contains("firmware 1.1.0").contains("fleet sequence 2");
        assertThat(update(state, three).exitCode()).as("release 3 was applied once").isEqualTo(10);
    }

    @Test
    void eachRefusalHasItsReasonAndExitCode() throws Exception {
        Path state = install();
        Path good = release("demo-sensor", 1, "1.0.0", oldRoot.certificate());
        Path otherLine = release("other-meter", 1, "1.0.0", oldRoot.certificate());
        byte[] tampered = Files.readAllBytes(good);
        int image = TestBytes.requireIndexOf(tampered, "image 1.0.0".getBytes());
        tampered[image + 2] ^= 0x01;
        Path tamperedFile = Files.write(dir.resolve("tampered.fkpkg"), tampered);
        Path swap = release("demo-sensor", 2, "1.1.0", newRoot.certificate());

        Run wrongLine = update(state, otherLine);
        assertThat(wrongLine.exitCode()).isEqualTo(11);
        assertThat(wrongLine.err()).contains("(wrong-product-line)").contains("'other-meter'");
        Run tamper = update(state, tamperedFile);
        assertThat(tamper.exitCode()).isEqualTo(13);
        assertThat(tamper.err()).contains("(tampered)").contains("firmware-image");
        Run noOverlap = update(state, swap);
        assertThat(noOverlap.exitCode()).isEqualTo(15);
        assertThat(noOverlap.err()).contains("(rotation-no-overlap)");
        assertThat(update(state, good).exitCode()).as("nothing was applied by the refusals").isZero();
        assertThat(UpdatePackage.decode(Files.readAllBytes(good)).components()).hasSize(2);
    }

    @Test
    void droppingTheAnchorTheDevicesOwnChainEndsAtIsRefused() throws Exception {
        Path state = install();
        Path both = release("demo-sensor", 1, "1.0.0", oldRoot.certificate(), deviceCa.certificate());
        Path withoutDeviceRoot = release("demo-sensor", 2, "1.1.0", oldRoot.certificate());
        assertThat(update(state, both).exitCode()).isZero();

        Run refused = update(state, withoutDeviceRoot);

        assertThat(refused.exitCode()).isEqualTo(15);
        assertThat(refused.err()).contains("(rotation-anchor-in-use)").contains("CN=Device CA");
    }

    /** Runs connect --state-dir against a fresh openssl server presenting {@code server}'s certificate. */
    private Run connect(Path state, TestCertificates.Issued server, boolean expectRequest) throws Exception {
        Path cert = TestCertificates.writePem(dir.resolve("server-cert.pem"), server.certificate());
        Path key = TestCertificates.writePem(dir.resolve("server-key.pem"), server.privateKey());
        Path deviceCaPem = TestCertificates.writePem(dir.resolve("device-ca.pem"), deviceCa.certificate());
        try (OpensslDtlsServer openssl = OpensslDtlsServer.startWithCertificate(cert, key, deviceCaPem)) {
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> CliFixtures.run("connect",
                    "--state-dir", state.toString(), "--trust", trust.toString(), "--server", "fleet",
                    "--address", "127.0.0.1:" + openssl.address().getPort()));
            if (expectRequest) {
                CoapWire.Request request = CoapWire.parseRequest(openssl.awaitApplicationData(Duration.ofSeconds(10)));
                openssl.send(CoapWire.contentResponse(request, "hello from the new root"));
            }
            return run.get(30, TimeUnit.SECONDS);
        }
    }
}
