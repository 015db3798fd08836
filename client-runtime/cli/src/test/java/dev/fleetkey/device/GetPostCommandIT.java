package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.device.CliFixtures.Run;
import dev.fleetkey.runtime.testing.CoapWire;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;

/** {@code get} and {@code post} against a real {@code openssl s_server -dtls1_2} in PSK mode. */
class GetPostCommandIT {

    @TempDir
    Path dir;

    @Test
    void postSendsTheDataToThePathAndPrintsTheAnswer() throws Exception {
        try (OpensslDtlsServer openssl = OpensslDtlsServer.start("device", TestBundles.GOOD_PSK)) {
            Path bundle = bundle();
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> CliFixtures.run("post",
                    "--bundle", bundle.toString(), "--trust", signer(), "--server", "fleetkey",
                    "--address", "127.0.0.1:" + openssl.address().getPort(), "--data", "fw=1.2.3", "/checkin"));

            byte[] datagram = openssl.awaitApplicationData(Duration.ofSeconds(10));
            CoapWire.Request request = CoapWire.parseRequest(datagram);
            openssl.send(CoapWire.contentResponse(request, "recorded"));

            Run result = run.get(10, TimeUnit.SECONDS);
            assertThat(request.code()).isEqualTo(2); // POST
            assertThat(request.path()).isEqualTo("/checkin");
            assertThat(new String(datagram, java.nio.charset.StandardCharsets.UTF_8)).endsWith("fw=1.2.3");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).isEqualTo("recorded" + System.lineSeparator());
        }
    }

    @Test
    void getWithStateDirAfterTheSubcommandSavesTheSessionThere() throws Exception {
        Path state = dir.resolve("state");
        try (OpensslDtlsServer openssl = OpensslDtlsServer.start("device", TestBundles.GOOD_PSK)) {
            Path bundle = bundle();
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> CliFixtures.run("get",
                    "--bundle", bundle.toString(), "--trust", signer(), "--server", "fleetkey",
                    "--address", "127.0.0.1:" + openssl.address().getPort(), "--state-dir", state.toString(),
                    "--verbose", "/sensors/temp"));

            CoapWire.Request request = CoapWire.parseRequest(openssl.awaitApplicationData(Duration.ofSeconds(10)));
            openssl.send(CoapWire.contentResponse(request, "21.5"));

            Run result = run.get(10, TimeUnit.SECONDS);
            assertThat(request.path()).isEqualTo("/sensors/temp");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).isEqualTo("21.5" + System.lineSeparator());
            assertThat(result.err()).contains("session resumed: no").containsPattern("handshake bytes: sent \\d+, "
                    + "received \\d+");
            assertThat(state.resolve("sessions").resolve("fleetkey.dtls")).isRegularFile();
            assertThat(Files.size(state.resolve("sessions").resolve("fleetkey.dtls"))).isPositive();
        }
    }

    @Test
    void negativeMaximumSessionAgeIsAUsageError() {
        Run result = CliFixtures.run("get", "--bundle", "b", "--trust", "t", "--server", "fleetkey",
                "--max-session-age", "-PT1H", "/hello");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--max-session-age must not be negative");
    }

    @Test
    void postNeedsExactlyOneBody() throws Exception {
        Run result = CliFixtures.run("post", "--bundle", "b", "--trust", "t", "--server", "fleetkey", "/checkin");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--data").contains("--file");
    }

    private Path bundle() throws Exception {
        return CliFixtures.write(dir, "device.bundle", CliFixtures.pskBundle(
                URI.create("coaps://fleetkey.example.net:5684"), TestBundles.GOOD_PSK_IDENTITY, TestBundles.GOOD_PSK));
    }

    private String signer() {
        try {
            return CliFixtures.signerPem(dir).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
