package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
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

/** {@code connect} against a real {@code openssl s_server -dtls1_2} in PSK mode. */
class ConnectCommandIT {

    @TempDir
    Path dir;

    @Test
    void connectPrintsTheAnswerOfTheServerAndTheSuiteWhenVerbose() throws Exception {
        // openssl only warns about an unexpected identity; the key is what it checks
        try (OpensslDtlsServer openssl = OpensslDtlsServer.start("device", TestBundles.GOOD_PSK)) {
            String signer = signer();
            Path bundle = CliFixtures.write(dir, "device.bundle", CliFixtures.pskBundle(
                    URI.create("coaps://fleetkey.example.net:5684"), TestBundles.GOOD_PSK_IDENTITY, TestBundles.GOOD_PSK));
            CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> CliFixtures.run("connect",
                    "--bundle", bundle.toString(), "--trust", signer, "--server", "fleetkey",
                    "--address", address(openssl.address()), "--verbose"));

            CoapWire.Request request = CoapWire.parseRequest(openssl.awaitApplicationData(Duration.ofSeconds(10)));
            openssl.send(CoapWire.contentResponse(request, "hello " + request.path()));

            Run result = run.get(10, TimeUnit.SECONDS);
            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).isEqualTo("hello /hello" + System.lineSeparator());
            assertThat(result.err()).contains("cipher suite: TLS_PSK_WITH_AES_128_CCM_8");
        }
    }

    @Test
    void connectWithAWrongKeyFailsWithExitCode3AndSaysTheHandshakeTimedOut() throws Exception {
        byte[] wrongKey = TestBundles.GOOD_PSK.clone();
        wrongKey[0] ^= 1;
        try (OpensslDtlsServer openssl = OpensslDtlsServer.start("id", TestBundles.GOOD_PSK)) {
            Path bundle = CliFixtures.write(dir, "device.bundle", CliFixtures.pskBundle(
                    URI.create("coaps://fleetkey.example.net:5684"), "id".getBytes(), wrongKey));

            Run result = CliFixtures.run("connect", "--bundle", bundle.toString(), "--trust", signer(),
                    "--server", "fleetkey", "--address", address(openssl.address()));

            assertThat(result.exitCode()).isEqualTo(ExitCodes.CONNECTION_FAILED);
            assertThat(result.err()).contains("DTLS handshake with 127.0.0.1:").contains("timed out")
                    .doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(result.out()).isEmpty();
        }
    }

    @Test
    void connectToAServerTheBundleDoesNotNameIsAUsageErrorListingTheNames() throws Exception {
        Path bundle = CliFixtures.write(dir, "device.bundle", CliFixtures.pskBundle(
                URI.create("coaps://fleetkey.example.net:5684"), "id".getBytes(), TestBundles.GOOD_PSK));

        Run result = CliFixtures.run("connect", "--bundle", bundle.toString(), "--trust", signer(),
                "--server", "billing", "--address", "127.0.0.1:5684");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("no server 'billing'").contains("fleetkey");
    }

    @Test
    void connectRefusesAnAddressThatIsNotHostAndPort() throws Exception {
        Path bundle = CliFixtures.write(dir, "device.bundle", CliFixtures.pskBundle(
                URI.create("coaps://fleetkey.example.net:5684"), "id".getBytes(), TestBundles.GOOD_PSK));

        Run result = CliFixtures.run("connect", "--bundle", bundle.toString(), "--trust", signer(),
                "--server", "fleetkey", "--address", "127.0.0.1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--address '127.0.0.1' is not");
    }

    private String signer() throws Exception {
        return CliFixtures.signerPem(dir).toString();
    }

    private static String address(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
