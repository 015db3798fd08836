package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.testing.UdpRelay;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/** What crosses the wire in the ECDHE modes: an independent client, and the runtime's goodbye. */
class EcdheWireIT {

    private EcdheEndpointFixture fixture;

    @TempDir
    Path files;

    @BeforeEach
    void start() throws Exception {
        fixture = new EcdheEndpointFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void opensslClientCompletesAnX509HandshakeWithTheEndpointAndVerifiesItsName() throws Exception {
        String output = openssl(TestCertificates.writePem(files.resolve("device.pem"),
                fixture.deviceCertificate.certificate(), fixture.deviceCa.certificate()));

        assertThat(output).contains("CONNECTION ESTABLISHED").contains("Ciphersuite: ECDHE-ECDSA-AES128-CCM8")
                .contains("Protocol version: DTLSv1.2").contains("Verification: OK")
                .contains("Peer certificate: CN = " + EcdheEndpointFixture.HOST);
    }

    @Test
    void opensslClientWithACertificateFromAnotherCaIsRefused() throws Exception {
        TestCertificates.Issued rogueCa = TestCertificates.ca("Rogue CA");
        TestCertificates.Issued rogue = TestCertificates.device(TestBundles.GOOD_DEVICE, rogueCa);
        Path certificate = TestCertificates.writePem(files.resolve("rogue.pem"), rogue.certificate(),
                rogueCa.certificate());
        Path key = TestCertificates.writeKeyPem(files.resolve("rogue-key.pem"), rogue.keyPair());

        String output = run(opensslCommand(certificate, key));

        assertThat(output).contains("alert unknown ca").doesNotContain("CONNECTION ESTABLISHED");
    }

    @Test
    void closingASessionSendsCloseNotify() throws Exception {
        try (UdpRelay relay = new UdpRelay(fixture.address())) {
            try (SecureSession session = SecureSession.open(fixture.rpkBundle(DeviceBundles.FAST), "fleetkey",
                    Optional.of(relay.address()))) {
                session.get("/hello");
                relay.clear();
            }
            // an encrypted alert (type 21, epoch 1) from the client: close_notify, the only alert a clean close sends
            assertThat(relay.datagrams()).anyMatch(d -> d.fromClient() && d.bytes()[0] == 21 && d.bytes()[4] == 1);
        }
    }

    @Test
    void aCertificateDeviceSendsItsLeafAloneBecauseTheEndpointNamesTheDeviceCa() throws Exception {
        byte[] deviceCaName = fixture.deviceCa.certificate().getSubjectX500Principal().getEncoded();
        byte[] deviceCaKey = fixture.deviceCa.certificate().getPublicKey().getEncoded();
        byte[] leafKey = fixture.deviceCertificate.certificate().getPublicKey().getEncoded();
        try (UdpRelay relay = new UdpRelay(fixture.address())) {
            try (SecureSession session = SecureSession.open(fixture.x509Bundle(DeviceBundles.FAST), "fleetkey",
                    Optional.of(relay.address()))) {
                assertThat(session.get("/hello").code()).isEqualTo("2.05");
            }

            assertThat(relay.datagrams()).as("the CertificateRequest names the device CA")
                    .anyMatch(d -> !d.fromClient() && contains(d.bytes(), deviceCaName));
            assertThat(relay.datagrams()).anyMatch(d -> d.fromClient() && contains(d.bytes(), leafKey));
            assertThat(relay.datagrams()).as("the device CA's certificate stays home")
                    .noneMatch(d -> d.fromClient() && contains(d.bytes(), deviceCaKey));
        }
    }

    private static boolean contains(byte[] datagram, byte[] part) {
        for (int i = 0; i + part.length <= datagram.length; i++) {
            if (Arrays.equals(datagram, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    private String openssl(Path certificate) throws Exception {
        Path key = TestCertificates.writeKeyPem(files.resolve("device-key.pem"), fixture.deviceCertificate.keyPair());
        return run(opensslCommand(certificate, key));
    }

    private List<String> opensslCommand(Path certificate, Path key) throws IOException {
        Path serverCa = TestCertificates.writePem(files.resolve("server-ca.pem"), fixture.serverCa.certificate());
        return new ArrayList<>(List.of("/usr/bin/openssl", "s_client", "-dtls1_2", "-brief",
                "-connect", "127.0.0.1:" + fixture.address().getPort(), "-cert", certificate.toString(),
                "-key", key.toString(), "-CAfile", serverCa.toString(), "-verify_hostname", EcdheEndpointFixture.HOST,
                "-verify_return_error", "-cipher", "ECDHE-ECDSA-AES128-CCM8", "-groups", "P-256", "-timeout"));
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // EOF on stdin: quit after the handshake
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
