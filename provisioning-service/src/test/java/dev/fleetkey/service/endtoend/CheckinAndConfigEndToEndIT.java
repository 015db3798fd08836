package dev.fleetkey.service.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

import com.upokecenter.cbor.CBORObject;
import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import dev.fleetkey.service.firmware.FirmwarePackages;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/**
 * Check-in and config delivery over real UDP and DTLS against the whole service: the runtime checks in
 * with each credential mode and the admin API shows the check-in; GET /config serves the template's fleet
 * bundle with an ETag that, sent back, gets 2.03 and no payload; after a rotation the device fetches its new
 * device bundle (sealed to the key it holds, or in clear for a PSK device of a template that allows it); and
 * a device can never write another device's check-in; the device CLI's {@code checkin} is recorded and
 * shown on the dashboard and the device page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
class CheckinAndConfigEndToEndIT {

    private static final int CBOR = 60;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @Autowired
    MockMvc mvc;

    @Autowired
    FirmwarePackages packages;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"demo-sensor, 00-11-22-FF-FE-00-C1-01, PSK, TLS_PSK_WITH_AES_128_CCM_8",
            "demo-rpk, 00-11-22-FF-FE-00-C1-02, RAW_PUBLIC_KEY, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
            "demo-x509, 00-11-22-FF-FE-00-C1-03, X509, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"})
    void deviceChecksInFetchesConfigOnceAndAfterRotationItsNewDeviceBundle(String template, String eui64,
            String mode, String suite) throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        BundlePayload bundle = provision(http, eui64, template);

        try (SecureSession session = SecureSession.open(bundle, "fleetkey", Optional.of(endpointAddress()))) {
            CoapReply checkin = session.post("/checkin", checkinBody("2.1.0", bundle.sequence(), null), CBOR);
            assertThat(checkin.code()).isEqualTo("2.04");

            JsonNode recorded = ServiceHttp.json(http.get("/api/v1/devices/" + eui64 + "/checkins")).get(0);
            assertThat(recorded.get("eui64").asString()).isEqualTo(eui64);
            assertThat(recorded.get("mode").asString()).isEqualTo(mode);
            assertThat(recorded.get("cipherSuite").asString()).isEqualTo(suite);
            assertThat(recorded.get("firmwareVersion").asString()).isEqualTo("2.1.0");
            assertThat(recorded.get("deviceSequence").asLong()).isEqualTo(bundle.sequence());
            assertThat(recorded.get("remoteAddress").asString()).startsWith("127.0.0.1:");
            assertThat(ServiceHttp.text(http.get("/api/v1/checkins"))).contains(eui64);

            CoapReply config = session.get("/config");
            assertThat(config.code()).isEqualTo("2.05");
            CBORObject map = CBORObject.DecodeFromBytes(config.payload());
            assertThat(map.ContainsKey("device")).as("nothing pending before a rotation").isFalse();
            BundlePayload fleet = verifier(http).verify(map.get("fleet").GetByteString(),
                    VerificationContext.forFleet(0)).payload();
            assertThat(fleet.kind()).isEqualTo(BundleKind.FLEET);
            assertThat(fleet.template().id()).isEqualTo(template);
            assertThat(config.etag()).isNotEmpty();

            CoapReply unchanged = session.get("/config", List.of(config.etag()));
            assertThat(unchanged.code()).isEqualTo("2.03");
            assertThat(unchanged.payload()).isEmpty();
            assertThat(unchanged.etag()).isEqualTo(config.etag());

            assertThat(http.post("/api/v1/devices/" + eui64 + "/rotate", "{\"overlap\":\"P1D\"}").statusCode())
                    .isEqualTo(200);
            CoapReply rotated = session.get("/config", List.of(config.etag()));
            assertThat(rotated.code()).as("a rotation changes what /config serves").isEqualTo("2.05");
            CBORObject rotatedMap = CBORObject.DecodeFromBytes(rotated.payload());
            assertThat(rotatedMap.ContainsKey("device")).isTrue();
            BundlePayload delivered = verifier(http).verify(rotatedMap.get("device").GetByteString(),
                    VerificationContext.forDevice(Eui64.parse(eui64), bundle.sequence())).payload();
            assertThat(delivered.sequence()).isGreaterThan(bundle.sequence());
            BundlePayload opened = mode.equals("PSK") ? delivered
                    : BundleSecrets.open(delivered, privateKeyOf(bundle));
            if (!mode.equals("PSK")) {
                assertThat(delivered.sealedSecrets()).as("sealed to the key the device holds").isNotNull();
            }
            assertThat(opened.servers().get(0).credentials()).isNotEqualTo(bundle.servers().get(0).credentials());
        }
    }

    @Test
    void aDeviceCannotCheckInAsAnotherDevice() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        String victim = "00-11-22-FF-FE-00-C2-01";
        BundlePayload victimBundle = provision(http, victim, "demo-sensor");
        BundlePayload attacker = provision(http, "00-11-22-FF-FE-00-C2-02", "demo-sensor");
        try (SecureSession session = SecureSession.open(victimBundle, "fleetkey", Optional.of(endpointAddress()))) {
            assertThat(session.post("/checkin", checkinBody("1.0.0", 1L, null), CBOR).code()).isEqualTo("2.04");
        }

        try (SecureSession session = SecureSession.open(attacker, "fleetkey", Optional.of(endpointAddress()))) {
            CoapReply forged = session.post("/checkin", checkinBody("6.6.6", 1L, victim), CBOR);
            assertThat(forged.code()).isEqualTo("4.03");
            assertThat(forged.text()).contains("only check in as itself");
            CoapReply own = session.post("/checkin", "{\"firmware\":\"1.0.1\"}".getBytes(), 50);
            assertThat(own.code()).isEqualTo("2.04");
        }

        JsonNode victimCheckins = ServiceHttp.json(http.get("/api/v1/devices/" + victim + "/checkins"));
        assertThat(victimCheckins).hasSize(1);
        assertThat(victimCheckins.get(0).get("firmwareVersion").asString()).isEqualTo("1.0.0");
    }

    /** The refused check-in ends the session: the next request needs a handshake, refused like a fresh one. */
    @Test
    void aDeviceRevokedDuringItsSessionCanNeitherCheckInNorFetchConfig() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        String eui64 = "00-11-22-FF-FE-00-C5-01";
        BundlePayload bundle = provision(http, eui64, "demo-rpk");
        try (SecureSession session = SecureSession.open(bundle, "fleetkey", Optional.of(endpointAddress()))) {
            assertThat(session.post("/checkin", checkinBody("1.0.0", null, null), CBOR).code()).isEqualTo("2.04");
            assertThat(http.post("/api/v1/devices/" + eui64 + "/revoke", "{\"reason\":\"stolen\"}").statusCode())
                    .isEqualTo(200);

            CoapReply checkin = session.post("/checkin", checkinBody("1.0.1", null, null), CBOR);

            assertThat(checkin.code()).isEqualTo("4.03");
            assertThat(checkin.text()).contains("revoked");
            assertThatThrownBy(() -> session.get("/config")).isInstanceOfSatisfying(AlertReceivedException.class,
                    e -> assertThat(e.alert()).isEqualTo("bad_certificate"));
        }
        assertThat(ServiceHttp.json(http.get("/api/v1/devices/" + eui64 + "/checkins"))).hasSize(1);
    }

    @Test
    void aReleasedFirmwarePackagesFleetBundleReplacesTheEndpointsOwn() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        BundlePayload bundle = provision(http, "00-11-22-FF-FE-00-C6-01", "demo-sensor");
        try (SecureSession session = SecureSession.open(bundle, "fleetkey", Optional.of(endpointAddress()))) {
            CoapReply before = session.get("/config");
            long ownSequence = verifier(http).verify(CBORObject.DecodeFromBytes(before.payload()).get("fleet")
                    .GetByteString(), VerificationContext.forFleet(0)).payload().sequence();

            long released = packages.release("demo-sensor@1", "rev-a", "9.0.0", new byte[] {1, 2, 3}).pkg().sequence();
            CoapReply after = session.get("/config", List.of(before.etag()));

            assertThat(released).isGreaterThan(ownSequence);
            assertThat(after.code()).isEqualTo("2.05");
            BundlePayload fleet = verifier(http).verify(CBORObject.DecodeFromBytes(after.payload()).get("fleet")
                    .GetByteString(), VerificationContext.forFleet(ownSequence)).payload();
            assertThat(fleet.sequence()).isEqualTo(released);
        }
    }

    @Test
    void aMalformedCheckInIsRefusedWithWhatToFix() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        BundlePayload bundle = provision(http, "00-11-22-FF-FE-00-C3-01", "demo-sensor");
        try (SecureSession session = SecureSession.open(bundle, "fleetkey", Optional.of(endpointAddress()))) {
            CoapReply reply = session.post("/checkin", "{\"sequence\":1}".getBytes(), 50);
            assertThat(reply.code()).isEqualTo("4.00");
            assertThat(reply.text()).contains("unknown check-in field");
        }
    }

    @Test
    void deviceCliChecksInWithItsBundleAndTheCheckInIsListed(@TempDir Path dir) throws Exception {
        Path jar = Path.of("..", "client-runtime", "cli", "target", "fleetkey-device.jar");
        assertThat(jar).as("the shaded CLI jar; build client-runtime/cli with 'package' first").isRegularFile();
        ServiceHttp http = new ServiceHttp(port);
        String eui64 = "00-11-22-FF-FE-00-C4-01";
        assertThat(http.provision(eui64, "demo-rpk", null).statusCode()).isEqualTo(201);
        Path bundle = Files.write(dir.resolve("device.bundle"), http.get("/api/v1/devices/" + eui64 + "/bundle").body());
        Path trust = Files.write(dir.resolve("signer.pem"), http.get("/api/v1/trust/bundle-signer.pem").body());

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-jar", jar.toString(), "checkin", "--bundle", bundle.toString(), "--trust", trust.toString(),
                "--server", "fleetkey", "--address", "127.0.0.1:" + endpoint.boundAddress().getPort(),
                "--firmware-version", "3.0.0-rc1", "--fleet-sequence", "4").redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        JsonNode recorded = ServiceHttp.json(http.get("/api/v1/devices/" + eui64 + "/checkins")).get(0);
        assertThat(recorded.get("firmwareVersion").asString()).isEqualTo("3.0.0-rc1");
        assertThat(recorded.get("fleetSequence").asLong()).isEqualTo(4);
        assertThat(recorded.get("mode").asString()).isEqualTo("RAW_PUBLIC_KEY");

        mvc.perform(get("/").with(user("admin").roles("ADMIN")))
                .andExpect(content().string(containsString("id=\"check-ins\"")))
                .andExpect(content().string(containsString(eui64)));
        mvc.perform(get("/devices/" + eui64).with(user("admin").roles("ADMIN")))
                .andExpect(content().string(containsString("id=\"device-check-ins\"")))
                .andExpect(content().string(containsString("3.0.0-rc1")))
                .andExpect(content().string(containsString("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8")));
    }

    private static byte[] checkinBody(String firmware, Long deviceSequence, String claimedDevice) {
        CBORObject body = CBORObject.NewMap().Add("firmware", firmware);
        if (deviceSequence != null) {
            body.Add("device-sequence", deviceSequence);
        }
        if (claimedDevice != null) {
            body.Add("device", claimedDevice);
        }
        return body.EncodeToBytes();
    }

    private BundlePayload provision(ServiceHttp http, String eui64, String template) throws Exception {
        assertThat(http.provision(eui64, template, null).statusCode()).isEqualTo(201);
        return verifier(http).verify(http.get("/api/v1/devices/" + eui64 + "/bundle").body(),
                VerificationContext.forDevice(Eui64.parse(eui64), -1)).payload();
    }

    private static BundleVerifier verifier(ServiceHttp http) throws Exception {
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(http.get("/api/v1/trust/bundle-signer.pem").body()));
        return BundleVerifier.builder().trustAnchor(signer).build();
    }

    private static PrivateKey privateKeyOf(BundlePayload bundle) throws Exception {
        ServerCredentials credentials = bundle.servers().get(0).credentials();
        byte[] pkcs8 = credentials instanceof ServerCredentials.RawPublicKey
                ? ((ServerCredentials.RawPublicKey) credentials).clientPrivateKey()
                : ((ServerCredentials.Certificates) credentials).clientPrivateKey();
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    }

    private InetSocketAddress endpointAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.boundAddress().getPort());
    }
}
