package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestBytes;
import dev.fleetkey.device.CliFixtures.Run;

class FleetkeyDeviceTest {

    @TempDir
    Path dir;

    @Test
    void verifyAcceptsAGoodBundle() throws Exception {
        Path bundle = CliFixtures.write(dir, "device.bundle", TestBundles.pskDevicePayload(3));

        Run run = CliFixtures.run("verify", "--bundle", bundle.toString(), "--trust", CliFixtures.signerPem(dir).toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("bundle is valid").contains("sequence 3").contains("00-11-22-FF-FE-33-44-55");
    }

    @Test
    void verifyRefusesABundleWithOneByteChangedSayingTheSignatureIsInvalid() throws Exception {
        Path bundle = CliFixtures.write(dir, "device.bundle", TestBundles.pskDevicePayload(3));
        byte[] bytes = Files.readAllBytes(bundle);
        int payloadByte = TestBytes.requireIndexOf(bytes, "demo-sensor".getBytes());
        bytes[payloadByte] ^= 0x01;
        Files.write(bundle, bytes);

        Run run = CliFixtures.run("verify", "--bundle", bundle.toString(), "--trust", CliFixtures.signerPem(dir).toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BUNDLE_INVALID);
        assertThat(run.err()).contains("signature is invalid");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void verifyNamesAMissingBundleFile() throws Exception {
        Run run = CliFixtures.run("verify", "--bundle", dir.resolve("nope.bundle").toString(),
                "--trust", CliFixtures.signerPem(dir).toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BUNDLE_INVALID);
        assertThat(run.err()).contains("nope.bundle does not exist");
    }

    @Test
    void verifyNamesATrustFileThatIsNoCertificate() throws Exception {
        Path bundle = CliFixtures.write(dir, "device.bundle", TestBundles.pskDevicePayload(3));
        Path trust = Files.writeString(dir.resolve("trust.pem"), "not a certificate");

        Run run = CliFixtures.run("verify", "--bundle", bundle.toString(), "--trust", trust.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BUNDLE_INVALID);
        assertThat(run.err()).contains("trust.pem is not a PEM or DER X.509 certificate");
    }

    @Test
    void missingRequiredOptionIsAUsageError() {
        Run run = CliFixtures.run("verify", "--bundle", "x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--trust");
    }

    @Test
    void noCommandIsAUsageError() {
        Run run = CliFixtures.run();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("verify").contains("connect");
    }

    @Test
    void showPrintsTheBundleAsJsonWithTheKeyRedacted() throws Exception {
        Path bundle = CliFixtures.write(dir, "device.bundle", TestBundles.pskDevicePayload(4));

        Run run = CliFixtures.run("show", "--bundle", bundle.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("\"kind\": \"device\"")
                .contains("\"sequence\": 4")
                .contains("\"device\": \"00-11-22-FF-FE-33-44-55\"")
                .contains("\"identity\": \"" + HexFormat.of().formatHex(TestBundles.GOOD_PSK_IDENTITY) + "\"")
                .contains("\"key\": \"(redacted)\"")
                .doesNotContain(HexFormat.of().formatHex(TestBundles.GOOD_PSK));
        assertThat(run.err()).contains("signature: not checked");
    }

    @Test
    void showRevealsTheKeyOnlyWhenAskedAndSaysWhenVerified() throws Exception {
        Path bundle = CliFixtures.write(dir, "device.bundle", TestBundles.pskDevicePayload(4));

        Run run = CliFixtures.run("show", "--bundle", bundle.toString(), "--reveal",
                "--trust", CliFixtures.signerPem(dir).toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("\"key\": \"" + HexFormat.of().formatHex(TestBundles.GOOD_PSK) + "\"");
        assertThat(run.err()).contains("signature: verified");
    }

    @Test
    void showRefusesAFileThatIsNoBundle() throws Exception {
        Path junk = Files.write(dir.resolve("junk.bundle"), new byte[] {1, 2, 3});

        Run run = CliFixtures.run("show", "--bundle", junk.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BUNDLE_INVALID);
        assertThat(run.err()).contains("not a CMS SignedData bundle");
    }

}
