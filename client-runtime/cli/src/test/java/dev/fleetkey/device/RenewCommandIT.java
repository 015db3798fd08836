package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.device.CliFixtures.Run;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.EstTestServer;
import dev.fleetkey.runtime.testing.TestCertificates;

/**
 * {@code renew}, {@code connect} and {@code checkin} of an installed X.509 device against a coaps server speaking
 * RFC 9148 {@code /sren} (real UDP and DTLS): the renewed certificate is the one the server sees afterwards, the
 * template's renewal period makes {@code connect} warn, and a refusal leaves the device as it was.
 */
class RenewCommandIT {

    private static final String HOST = "coap.fleet.example.net";

    private static TestCertificates.Issued root;
    private static TestCertificates.Issued deviceCa;
    private static TestCertificates.Issued device;
    private static EstTestServer server;

    @TempDir
    Path dir;

    private Path state;
    private String trust;

    @BeforeAll
    static void startServer() throws Exception {
        root = TestCertificates.ca("Fleet Root");
        deviceCa = TestCertificates.intermediateCa("Fleet Device CA", root);
        device = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        server = EstTestServer.start(TestCertificates.server(HOST, root), deviceCa, root.certificate());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void install() throws Exception {
        server.answer(EstTestServer.Answer.ISSUE);
        BundlePayload plain = DeviceBundles.x509("fleetkey", URI.create("coaps://" + HOST + ":5684"), HOST, device,
                deviceCa.certificate(), root.certificate(), DeviceBundles.FAST);
        // the device certificate is valid for 30 days: with a 30-day renewal period, renewal is due now
        BundlePayload withPeriod = new BundlePayload(plain.formatVersion(), plain.kind(), plain.bundleId(),
                plain.sequence(), plain.issuedAt(), plain.notAfter(), plain.device(), plain.template(), plain.servers(),
                plain.dtlsPolicy(), plain.secretsInClear(), null, Duration.ofDays(30));
        Path bundle = CliFixtures.write(dir, "device.bundle", withPeriod);
        trust = CliFixtures.signerPem(dir).toString();
        state = dir.resolve("state");
        Run install = CliFixtures.run("install", "--state-dir", state.toString(), "--bundle", bundle.toString(),
                "--hardware-class", "rev-a", "--trust", trust);
        assertThat(install.exitCode()).as(install.err()).isZero();
    }

    private Run cli(String command, String... more) {
        String[] base = {command, "--state-dir", state.toString(), "--trust", trust, "--server", "fleetkey",
            "--address", "127.0.0.1:" + server.address().getPort()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliFixtures.run(all);
    }

    private BigInteger lastSerialSeen() {
        return server.clientSerials().get(server.clientSerials().size() - 1);
    }

    @Test
    void renewSwitchesToTheNewCertificateWhichConnectAndCheckinThenPresent() {
        Run before = cli("connect");
        assertThat(before.exitCode()).as(before.err()).isZero();
        assertThat(before.err()).contains("warning: the certificate for server 'fleetkey' expires at",
                "renewal was due from", "run fleetkey-device renew --server fleetkey --state-dir " + state);
        assertThat(lastSerialSeen()).isEqualTo(device.certificate().getSerialNumber());

        Run renew = cli("renew");

        assertThat(renew.exitCode()).as(renew.err()).isZero();
        assertThat(renew.out()).startsWith("renewed the certificate for server 'fleetkey': serial "
                + device.certificate().getSerialNumber().toString(16) + " -> ");
        String renewed = renew.out().strip().replaceAll(".* -> ([0-9a-f]+),.*", "$1");
        Run after = cli("connect");
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.err()).as("60 days left, 30-day period: not due").doesNotContain("warning");
        assertThat(lastSerialSeen().toString(16)).isEqualTo(renewed);
        Run checkin = cli("checkin", "--firmware-version", "1.0.0");
        assertThat(checkin.exitCode()).as(checkin.err()).isEqualTo(ExitCodes.COAP_ERROR); // the test server has no /checkin
        assertThat(lastSerialSeen().toString(16)).isEqualTo(renewed);
    }

    @Test
    void aRefusedRenewalExitsWithTheCoapErrorCodeSaysWhyAndLeavesTheStateAsItWas() throws Exception {
        server.answer(EstTestServer.Answer.REFUSE);

        Run renew = cli("renew");

        assertThat(renew.exitCode()).isEqualTo(ExitCodes.COAP_ERROR);
        assertThat(renew.err()).isEqualTo("fleetkey-device: the server refused the certificate renewal with 4.03: device"
                + " is revoked; the device keeps its current certificate (is the device revoked, or does its template"
                + " allow re-enrollment?)" + System.lineSeparator());
        assertThat(Files.exists(state.resolve("credentials"))).isFalse();
        assertThat(cli("connect").exitCode()).isZero();
        assertThat(lastSerialSeen()).isEqualTo(device.certificate().getSerialNumber());
    }

    @Test
    void renewOfAnUninstalledDirectorySaysToInstallFirst() {
        Run run = CliFixtures.run("renew", "--state-dir", dir.resolve("nothing").toString(), "--trust", trust,
                "--server", "fleetkey");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BUNDLE_INVALID);
        assertThat(run.err()).contains("is not installed", "fleetkey-device install");
    }
}
