package dev.fleetkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.testing.CoapWire;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;
import dev.fleetkey.runtime.testing.TestCertificates;

/** Certificate mode against openssl's DTLS 1.2 server, keys and certificates made in the test. */
class X509AgainstOpensslIT {

    private static final String HOST = "coap.fleet.example.net";
    private static final URI SERVER_URI = URI.create("coaps://" + HOST + ":5684");

    private static TestCertificates.Issued serverCa;
    private static TestCertificates.Issued deviceCa;
    private static TestCertificates.Issued device;
    private static Path deviceCaPem;

    @TempDir
    static Path files;

    @BeforeAll
    static void makePki() throws Exception {
        serverCa = TestCertificates.ca("Fleet Server CA");
        deviceCa = TestCertificates.ca("Fleet Device CA");
        device = TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa);
        deviceCaPem = TestCertificates.writePem(files.resolve("device-ca.pem"), deviceCa.certificate());
    }

    @Test
    void certificateSessionTalksCoapThroughOpensslWithTheProfileSuite() throws Exception {
        try (OpensslDtlsServer openssl = openssl(TestCertificates.server(HOST, serverCa), "good");
             SecureSession session = SecureSession.open(bundle(serverCa), "fleet", Optional.of(openssl.address()))) {
            CompletableFuture<CoapReply> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    return session.get("/hello");
                } catch (DeviceRuntimeException e) {
                    throw new IllegalStateException(e);
                }
            });
            CoapWire.Request request = CoapWire.parseRequest(openssl.awaitApplicationData(Duration.ofSeconds(10)));
            openssl.send(CoapWire.contentResponse(request, "hello device"));

            assertThat(reply.get(10, TimeUnit.SECONDS).text()).isEqualTo("hello device");
            assertThat(openssl.transcript()).contains("CIPHER is ECDHE-ECDSA-AES128-CCM8")
                    .contains("subject=CN = " + TestBundles.GOOD_DEVICE.canonical());
            assertThat(session.connectionInfo().orElseThrow().cipherSuite())
                    .isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
        }
    }

    @Test
    void certificateForAnotherHostIsRefusedAsHostnameMismatch() throws Exception {
        try (OpensslDtlsServer openssl = openssl(TestCertificates.server("other.example.net", serverCa), "other");
             SecureSession session = SecureSession.open(bundle(serverCa), "fleet", Optional.of(openssl.address()))) {
            assertThatThrownBy(() -> session.get("/hello"))
                    .isInstanceOfSatisfying(ServerNameMismatchException.class, e -> {
                        assertThat(e.expected()).isEqualTo(HOST);
                        assertThat(e.presented()).containsExactly("other.example.net");
                    })
                    .hasMessageContaining("not for '" + HOST + "'");
        }
    }

    @Test
    void expiredServerCertificateIsRefusedAsExpired() throws Exception {
        try (OpensslDtlsServer openssl = openssl(TestCertificates.expiredServer(HOST, serverCa), "expired");
             SecureSession session = SecureSession.open(bundle(serverCa), "fleet", Optional.of(openssl.address()))) {
            assertThatThrownBy(() -> session.get("/hello"))
                    .isInstanceOfSatisfying(ServerCertificateExpiredException.class,
                            e -> assertThat(e.subject()).contains(HOST))
                    .hasMessageContaining("expired");
        }
    }

    @Test
    void serverChainFromAnotherCaIsRefusedAsUntrusted() throws Exception {
        TestCertificates.Issued stranger = TestCertificates.ca("Somebody Else's CA");
        try (OpensslDtlsServer openssl = openssl(TestCertificates.server(HOST, stranger), "stranger");
             SecureSession session = SecureSession.open(bundle(serverCa), "fleet", Optional.of(openssl.address()))) {
            assertThatThrownBy(() -> session.get("/hello"))
                    .isInstanceOf(UntrustedServerException.class)
                    .hasMessageContaining("does not chain to the bundle's trust anchors");
        }
    }

    private static BundlePayload bundle(TestCertificates.Issued anchor) {
        return DeviceBundles.x509("fleet", SERVER_URI, null, device, deviceCa.certificate(), anchor.certificate(),
                DeviceBundles.FAST);
    }

    private static OpensslDtlsServer openssl(TestCertificates.Issued server, String name) throws Exception {
        Path certificate = TestCertificates.writePem(files.resolve(name + "-cert.pem"), server.certificate());
        Path key = TestCertificates.writePem(files.resolve(name + "-key.pem"), server.privateKey());
        return OpensslDtlsServer.startWithCertificate(certificate, key, deviceCaPem);
    }
}
