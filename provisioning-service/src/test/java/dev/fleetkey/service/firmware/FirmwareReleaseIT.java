package dev.fleetkey.service.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.testing.CoapWire;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.OpensslDtlsServer;
import dev.fleetkey.runtime.testing.TestCertificates;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.bundle.BundleSigner;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 8 end to end: a build pipeline packages three releases through the API with the release CLI and a
 * release token (release 2 adds a new server root beside the old, release 3 drops the old); a device
 * installed from a service-signed bundle applies them with the device CLI and then talks DTLS to openssl
 * whose certificate chains only to the new root. Replays, another product line and tampering are refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirmwareReleaseIT {

    private static final String HOST = "coap.gateway.example.net";
    private static final Path DATA = TestService.newDataDir();
    private static final Path WORK = DATA.resolveSibling("work");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        TestService.register(registry, DATA);
        Path templates = Files.createDirectories(WORK.resolve("templates"));
        Files.copy(TestService.repositoryTemplates().resolve("demo-sensor.yaml"), templates.resolve("demo-sensor.yaml"));
        Files.writeString(templates.resolve("demo-gateway.yaml"), """
                id: demo-gateway
                version: 1
                description: Gateway talking to a certificate server
                servers:
                  - name: fleet
                    uri: coaps://%s:5684
                    mode: x509
                dtls:
                  initial-retransmission: 1s
                  resumption: true
                  connection-id: false
                bundle:
                  validity: 365d
                  allow-unencrypted-secrets: true
                reprovision-policy: fail
                """.formatted(HOST));
        Files.writeString(templates.resolve("demo-line-b.yaml"), Files.readString(templates.resolve("demo-gateway.yaml"))
                .replace("id: demo-gateway", "id: demo-line-b"));
        Files.writeString(templates.resolve("demo-rpk.yaml"), Files.readString(templates.resolve("demo-gateway.yaml"))
                .replace("id: demo-gateway", "id: demo-rpk").replace("mode: x509", "mode: rpk")
                .replace("resumption: true", "resumption: false"));
        registry.add("fleetkey.templates-dir", templates::toString);
        registry.add("fleetkey.firmware-dir", () -> WORK.resolve("packages").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    BundleSigner serviceSigner;

    /** The device CA of the gateway device bundle; openssl requires client certificates from it. */
    private TestCertificates.Issued deviceCa;

    @Test
    void releasesRotateTheServerRootAndTheDeviceFollowsWithoutBricking() throws Exception {
        ReleaseApi admin = new ReleaseApi(port, "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + TestService.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        TestCertificates.Issued oldRoot = TestCertificates.ca("Gateway Server Root 2025");
        TestCertificates.Issued newRoot = TestCertificates.ca("Gateway Server Root 2027");
        String token = ApiClient.json(admin.post("/api/v1/release-tokens", "application/json",
                "{\"name\":\"ci pipeline\"}")).get("token").asString();
        assertThat(token).startsWith("fkr_");
        ReleaseApi pipeline = new ReleaseApi(port, "Bearer " + token);

        // release 1: the old root only
        addAnchor(admin, oldRoot);
        Path one = releaseWithCli(token, "1.0.0");
        // release 2: the new root beside the old
        addAnchor(admin, newRoot);
        Path two = releaseWithCli(token, "1.1.0");
        // release 3: the old root dropped
        assertThat(admin.delete("/api/v1/fleet-trust/demo-gateway/servers/fleet/anchors/" + fingerprint(oldRoot))
                .statusCode()).isEqualTo(204);
        Path three = releaseWithCli(token, "1.2.0");

        java.util.List<JsonNode> listed = new java.util.ArrayList<>();
        ApiClient.json(pipeline.get("/api/v1/firmware/packages")).forEach(p -> {
            if (p.get("productLine").asString().equals("demo-gateway")) {
                listed.add(p);
            }
        });
        assertThat(listed).hasSize(3);
        assertThat(listed.get(2).get("sequence").asLong()).isEqualTo(3);
        assertThat(listed.get(2).get("components").get(0).get("role").asString()).isEqualTo("firmware-image");
        assertThat(listed.get(2).get("components").get(1).get("role").asString()).isEqualTo("fleet-bundle");
        assertThat(listed.get(2).get("components").get(0).get("sha256").asString())
                .isEqualTo(Sha256.hex(image("1.2.0")));
        assertThat(WORK.resolve("packages/demo-gateway/1.2.0-rev-b.fkpkg")).hasBinaryContent(Files.readAllBytes(three));

        // the same release again is rebuilt byte for byte; the same version from another image is a conflict
        HttpResponse<byte[]> again = pipeline.release("demo-gateway@1", "rev-b", "1.2.0", image("1.2.0"));
        assertThat(again.statusCode()).as(ApiClient.text(again)).isEqualTo(200);
        assertThat(pipeline.get(again.headers().firstValue("Location").orElseThrow()).body())
                .isEqualTo(Files.readAllBytes(three));
        assertThat(pipeline.release("demo-gateway@1", "rev-b", "1.2.0", "other".getBytes()).statusCode()).isEqualTo(409);

        // the device: installed from a bundle the service signed, updated with the device CLI
        Path device = WORK.resolve("device");
        Path trust = Files.write(WORK.resolve("signer.pem"),
                ApiClient.anonymous(port).get("/api/v1/trust/bundle-signer.pem").body());
        Path bundle = Files.write(WORK.resolve("device.bundle"), gatewayDeviceBundle(oldRoot));
        DeviceJar.Run installed = deviceJar("install", "--state-dir", device.toString(), "--bundle", bundle.toString(),
                "--trust", trust.toString(), "--hardware-class", "rev-b");
        assertThat(installed.exitCode()).as(installed.err()).isZero();
        TestCertificates.Issued server = TestCertificates.server(HOST, newRoot);

        assertThat(update(device, trust, one).exitCode()).isZero();
        DeviceJar.Run beforeRotation = connect(device, trust, server, false);
        assertThat(beforeRotation.exitCode()).isEqualTo(3);
        assertThat(beforeRotation.err()).contains("does not chain to the bundle's trust anchors");

        DeviceJar.Run dryRun = update(device, trust, two, "--dry-run");
        assertThat(dryRun.out()).contains("+ anchor fleet: CN=Gateway Server Root 2027").contains("dry run");
        assertThat(update(device, trust, two).exitCode()).isZero();
        assertThat(connect(device, trust, server, true).exitCode()).isZero();

        byte[] tampered = Files.readAllBytes(three);
        int at = dev.fleetkey.bundle.testing.TestBytes.requireIndexOf(tampered, image("1.2.0"));
        tampered[at + 5] ^= 0x01;
        DeviceJar.Run tamperedRun = update(device, trust, Files.write(WORK.resolve("tampered.fkpkg"), tampered));
        assertThat(tamperedRun.exitCode()).as(tamperedRun.err()).isEqualTo(13);
        DeviceJar.Run dropOld = update(device, trust, three);
        assertThat(dropOld.exitCode()).as(dropOld.err()).isZero();
        assertThat(dropOld.out()).contains("- anchor fleet: CN=Gateway Server Root 2025");
        DeviceJar.Run afterDrop = connect(device, trust, server, true);
        assertThat(afterDrop.exitCode()).as(afterDrop.err()).isZero();
        assertThat(afterDrop.out()).contains("hello gateway");

        DeviceJar.Run replay = update(device, trust, one);
        assertThat(replay.exitCode()).isEqualTo(10);
        assertThat(replay.err()).contains("(rollback)");
        HttpResponse<byte[]> sensor = pipeline.release("demo-sensor@1", "rev-b", "1.0.0", image("sensor"));
        assertThat(sensor.statusCode()).as(ApiClient.text(sensor)).isEqualTo(201);
        Path sensorPackage = Files.write(WORK.resolve("sensor.fkpkg"),
                pipeline.get(sensor.headers().firstValue("Location").orElseThrow()).body());
        DeviceJar.Run otherLine = update(device, trust, sensorPackage);
        assertThat(otherLine.exitCode()).isEqualTo(11);
        assertThat(otherLine.err()).contains("(wrong-product-line)");
    }

    @Test
    void releaseTokensOpenTheFirmwareApiOnlyAndTheServiceRefusesARotationWithoutOverlap() throws Exception {
        ReleaseApi admin = new ReleaseApi(port, "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + TestService.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        String token = ApiClient.json(admin.post("/api/v1/release-tokens", "application/json",
                "{\"name\":\"scoped\"}")).get("token").asString();
        ReleaseApi pipeline = new ReleaseApi(port, "Bearer " + token);

        assertThat(pipeline.get("/api/v1/firmware/packages").statusCode()).isEqualTo(200);
        assertThat(pipeline.get("/api/v1/release-tokens").statusCode()).isEqualTo(401);
        assertThat(pipeline.get("/api/v1/devices").statusCode()).isEqualTo(401);
        assertThat(new ReleaseApi(port, null).get("/api/v1/firmware/packages").statusCode()).isEqualTo(401);
        assertThat(new ReleaseApi(port, "Bearer fkr_not-a-token").get("/api/v1/firmware/packages").statusCode())
                .isEqualTo(401);
        assertThat(ApiClient.text(admin.get("/api/v1/release-tokens"))).doesNotContain(token);

        TestCertificates.Issued first = TestCertificates.ca("Sensor Server Root A");
        TestCertificates.Issued second = TestCertificates.ca("Sensor Server Root B");
        addAnchor(admin, "demo-line-b", first);
        assertThat(pipeline.release("demo-line-b@1", "rev-c", "2.0.0", image("2.0.0")).statusCode()).isEqualTo(201);
        admin.delete("/api/v1/fleet-trust/demo-line-b/servers/fleet/anchors/" + fingerprint(first));
        addAnchor(admin, "demo-line-b", second);

        HttpResponse<byte[]> swap = pipeline.release("demo-line-b@1", "rev-c", "2.1.0", image("2.1.0"));
        assertThat(swap.statusCode()).isEqualTo(409);
        assertThat(ApiClient.text(swap)).contains("rotation-no-overlap");
        revokeAndCheck(admin, pipeline);
    }

    @Test
    void aRawPublicKeyServerIsPinnedToTheServicesKeyThenToTheKeysAddedBesideIt() throws Exception {
        ReleaseApi admin = new ReleaseApi(port, "Basic " + Base64.getEncoder().encodeToString(
                ("admin:" + TestService.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        java.security.KeyPair newServerKey = TestCertificates.p256();

        assertThat(admin.release("demo-rpk@1", "rev-a", "0.9.0", image("0.9.0")).statusCode()).isEqualTo(201);
        JsonNode seeded = ApiClient.json(admin.get("/api/v1/fleet-trust/demo-rpk"));
        assertThat(seeded).hasSize(1);
        assertThat(seeded.get(0).get("kind").asString()).isEqualTo("pin");
        assertThat(admin.post("/api/v1/fleet-trust/demo-rpk/servers/fleet/pins", "application/json", "{\"publicKey\":\""
                + Base64.getEncoder().encodeToString(newServerKey.getPublic().getEncoded()) + "\"}").statusCode()).isEqualTo(201);
        HttpResponse<byte[]> released = admin.release("demo-rpk@1", "rev-a", "1.0.0", image("1.0.0"));
        assertThat(released.statusCode()).as(ApiClient.text(released)).isEqualTo(201);

        byte[] pkg = admin.get(released.headers().firstValue("Location").orElseThrow()).body();
        BundleVerifier verifier = BundleVerifier.builder().trustAnchor(serviceSigner.certificate()).build();
        dev.fleetkey.bundle.update.VerifiedPackage verified = new dev.fleetkey.bundle.update.UpdatePackageVerifier(verifier)
                .verify(pkg, new dev.fleetkey.bundle.update.UpdateExpectations("demo-rpk", "rev-a", 1,
                        java.time.Instant.now(), VerificationContext.DEFAULT_CLOCK_SKEW));
        BundlePayload fleet = verifier.verify(verified.fleetBundle(), VerificationContext.forFleet(1)).payload();
        assertThat(fleet.sequence()).isEqualTo(verified.manifest().sequence());
        assertThat(fleet.hasClearSecrets()).isFalse();
        assertThat(fleet.dtlsPolicy().resumption()).isFalse();
        ServerCredentials.RawPublicKey rpk = (ServerCredentials.RawPublicKey) fleet.server("fleet").orElseThrow().credentials();
        assertThat(rpk.serverKeyPins()).hasSize(2).anySatisfy(pin -> assertThat(pin).isEqualTo(
                Sha256.digest(newServerKey.getPublic().getEncoded())));
        assertThat(HexFormat.of().formatHex(rpk.serverKeyPins().get(0))).isEqualTo(seeded.get(0).get("fingerprint").asString());
    }

    private void revokeAndCheck(ReleaseApi admin, ReleaseApi pipeline) {
        JsonNode tokens = ApiClient.json(admin.get("/api/v1/release-tokens"));
        long id = tokens.get(tokens.size() - 1).get("id").asLong();
        assertThat(admin.delete("/api/v1/release-tokens/" + id).statusCode()).isEqualTo(204);
        assertThat(pipeline.get("/api/v1/firmware/packages").statusCode()).isEqualTo(401);
    }

    private byte[] gatewayDeviceBundle(TestCertificates.Issued serverRoot) {
        deviceCa = TestCertificates.ca("Gateway Device CA");
        BundlePayload x509 = DeviceBundles.x509("fleet", URI.create("coaps://" + HOST), HOST,
                TestCertificates.device(TestBundles.GOOD_DEVICE, deviceCa), deviceCa.certificate(),
                serverRoot.certificate(), DeviceBundles.FAST);
        BundlePayload gateway = new BundlePayload(x509.formatVersion(), x509.kind(), x509.bundleId(), x509.sequence(),
                x509.issuedAt(), x509.notAfter(), x509.device(), new TemplateRef("demo-gateway", 1), x509.servers(),
                x509.dtlsPolicy(), x509.secretsInClear());
        return serviceSigner.sign(gateway);
    }

    private static DeviceJar.Run update(Path device, Path trust, Path pkg, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("update", "--state-dir",
                device.toString(), "--package", pkg.toString(), "--trust", trust.toString()));
        args.addAll(java.util.List.of(more));
        return deviceJar(args.toArray(String[]::new));
    }

    /** connect --state-dir (no bundle) against openssl presenting {@code server}; answers the CoAP GET if asked. */
    private DeviceJar.Run connect(Path device, Path trust, TestCertificates.Issued server, boolean answer)
            throws Exception {
        Path cert = TestCertificates.writePem(WORK.resolve("server-cert.pem"), server.certificate());
        Path key = TestCertificates.writePem(WORK.resolve("server-key.pem"), server.privateKey());
        Path clientCa = TestCertificates.writePem(WORK.resolve("device-ca.pem"), deviceCa.certificate());
        try (OpensslDtlsServer openssl = OpensslDtlsServer.startWithCertificate(cert, key, clientCa)) {
            CompletableFuture<DeviceJar.Run> run = DeviceJar.start(Map.of(), "connect", "--state-dir", device.toString(),
                    "--trust", trust.toString(), "--server", "fleet", "--address",
                    "127.0.0.1:" + openssl.address().getPort());
            if (answer) {
                CoapWire.Request request = CoapWire.parseRequest(openssl.awaitApplicationData(Duration.ofSeconds(30)));
                openssl.send(CoapWire.contentResponse(request, "hello gateway"));
            }
            return run.get(60, TimeUnit.SECONDS);
        }
    }

    private static byte[] image(String version) {
        return ("gateway firmware " + version + " \u0000\u0001\u0002 machine code").getBytes(StandardCharsets.ISO_8859_1);
    }

    private Path releaseWithCli(String token, String version) throws Exception {
        Path image = Files.write(WORK.resolve("fw-" + version + ".bin"), image(version));
        DeviceJar.Run run = DeviceJar.run(Map.of("FLEETKEY_RELEASE_TOKEN", token), "release", "package",
                "--service", "http://localhost:" + port, "--token-env", "FLEETKEY_RELEASE_TOKEN",
                "--template", "demo-gateway@1", "--hardware", "rev-b", "--version", version,
                "--image", image.toString(), "--out", WORK.resolve("out").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain(token);
        return WORK.resolve("out").resolve("demo-gateway-1-rev-b-" + version + ".fkpkg");
    }

    private static DeviceJar.Run deviceJar(String... args) {
        return DeviceJar.run(Map.of(), args);
    }

    private static void addAnchor(ReleaseApi admin, TestCertificates.Issued root) throws Exception {
        addAnchor(admin, "demo-gateway", root);
    }

    private static void addAnchor(ReleaseApi admin, String productLine, TestCertificates.Issued root) throws Exception {
        Path pem = TestCertificates.writePem(Files.createTempFile(WORK, "anchor", ".pem"), root.certificate());
        HttpResponse<byte[]> added = admin.post("/api/v1/fleet-trust/" + productLine + "/servers/fleet/anchors",
                "text/plain", Files.readString(pem));
        assertThat(added.statusCode()).as(ApiClient.text(added)).isEqualTo(201);
    }

    private static String fingerprint(TestCertificates.Issued root) throws Exception {
        return Sha256.hex(root.certificate().getEncoded());
    }
}
