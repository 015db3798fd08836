package dev.fleetkey.service.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.devices.DeviceCredential;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Our runtime renews an X.509 device's certificate against the whole service: the shaded {@code fleetkey-device}
 * jar, installed from the device's bundle, runs {@code renew} over the device endpoint's EST {@code /sren}, then
 * {@code connect} and {@code checkin} work with the new certificate, which the service now holds as the device's
 * credential; the template gives no overlap, so the old certificate is refused from then on. The same with the
 * device key in a SoftHSM2 token, and a revoked device's renewal is refused with the old credential left intact.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RenewalEndToEndIT {

    private static final String TEMPLATE = """
            id: renew-x509
            version: 1
            servers:
              - name: fleetkey
                uri: coaps://localhost:5684
                mode: x509
            credentials:
              certificate-validity: 3650d
              renew-before: 30d
            est:
              overlap: 0s
            bundle:
              allow-unencrypted-secrets: true
            """;
    private static final Pattern RENEWED = Pattern.compile("serial ([0-9a-f]+) -> ([0-9a-f]+)");
    private static final Path SOFTHSM = Path.of("/usr/lib/softhsm/libsofthsm2.so");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
        registry.add("fleetkey.templates-dir", () -> ServiceHttp.templatesWith(Map.of("renew-x509.yaml", TEMPLATE))
                .toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @Autowired
    DeviceRepository devices;

    @TempDir
    Path dir;

    private record Run(int code, String out) {
    }

    @Test
    void theCliRenewsTheCertificateAndConnectsAndChecksInWithTheNewOneWhichTheServiceNowHolds() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        String eui64 = "00-11-22-FF-FE-00-B1-01";
        assertThat(http.provision(eui64, "renew-x509", null).statusCode()).isEqualTo(201);
        Path trust = trust(http);
        Path state = install(http, eui64, trust, Map.of());

        InstalledState fresh = DeviceStateDirectory.open(state, verifier(trust)).current(Instant.now());
        assertThat(fresh.deviceBundle().renewBefore()).as("the template's period travels in the bundle")
                .isEqualTo(java.time.Duration.ofDays(30));
        Run before = cli(Map.of(), "connect", "--state-dir", state.toString(), "--trust", trust.toString(), "--server",
                "fleetkey", "--address", address());
        assertThat(before.code()).as(before.out()).isZero();
        assertThat(before.out()).as("ten years left: not due").doesNotContain("warning");

        Run renew = cli(Map.of(), "renew", "--server", "fleetkey", "--state-dir", state.toString(), "--trust",
                trust.toString(), "--address", address());

        assertThat(renew.code()).as(renew.out()).isZero();
        Matcher serials = RENEWED.matcher(renew.out());
        assertThat(serials.find()).as(renew.out()).isTrue();
        String old = serials.group(1);
        String renewed = serials.group(2);
        assertThat(renewed).isNotEqualTo(old);
        assertThat(currentSerial(eui64)).as("the service holds the renewed certificate").isEqualTo(renewed);
        InstalledState installed = DeviceStateDirectory.open(state, verifier(trust)).current(Instant.now());
        assertThat(DeviceStateDirectory.open(state, verifier(trust)).renewedCredential("fleetkey", installed)
                .orElseThrow().leaf().getSerialNumber().toString(16)).isEqualTo(renewed);

        Run checkin = cli(Map.of(), "checkin", "--state-dir", state.toString(), "--trust", trust.toString(),
                "--server", "fleetkey", "--address", address(), "--firmware-version", "1.0.0");
        assertThat(checkin.code()).as(checkin.out()).isZero();
        Run connect = cli(Map.of(), "connect", "--state-dir", state.toString(), "--trust", trust.toString(),
                "--server", "fleetkey", "--address", address());
        assertThat(connect.code()).as(connect.out()).isZero();
        assertThat(connect.out()).contains(Eui64.parse(eui64).canonical());
        // no overlap: only the renewed certificate gets through now, so the runs above used it
        try (SecureSession withOldCertificate = SecureSession.open(installed.effectiveBundle(), "fleetkey",
                Optional.of(endpointAddress()))) {
            assertThatThrownBy(() -> withOldCertificate.get("/hello")).isInstanceOf(AlertReceivedException.class);
        }
    }

    @Test
    void aRevokedDevicesRenewalIsRefusedClearlyAndItsCredentialIsLeftAsItWas() throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        String eui64 = "00-11-22-FF-FE-00-B1-02";
        assertThat(http.provision(eui64, "renew-x509", null).statusCode()).isEqualTo(201);
        Path trust = trust(http);
        Path state = install(http, eui64, trust, Map.of());
        String serial = currentSerial(eui64);
        assertThat(http.post("/api/v1/devices/" + eui64 + "/revoke", "{\"reason\":\"key compromised\"}").statusCode())
                .isEqualTo(200);

        Run renew = cli(Map.of(), "renew", "--server", "fleetkey", "--state-dir", state.toString(), "--trust",
                trust.toString(), "--address", address());

        // the endpoint refuses a revoked device's certificate in the handshake already (ENDPOINT.md)
        assertThat(renew.code()).as(renew.out()).isEqualTo(3);
        assertThat(renew.out()).isEqualTo("fleetkey-device: the server refused the DTLS handshake with the fatal alert"
                + " 'certificate_unknown': the server does not accept this device's certificate or key (revoked,"
                + " expired or replaced at the service?)" + System.lineSeparator());
        assertThat(renew.out().lines().count()).as(renew.out()).isEqualTo(1);
        assertThat(Files.exists(state.resolve("credentials"))).as("nothing renewed, nothing pending").isFalse();
        InstalledState installed = DeviceStateDirectory.open(state, verifier(trust)).current(Instant.now());
        assertThat(DeviceStateDirectory.open(state, verifier(trust)).renewedCredential("fleetkey", installed)).isEmpty();
        assertThat(devices.allCredentials(deviceId(eui64))).as("the service issued nothing").hasSize(1);
        assertThat(serialOf(devices.allCredentials(deviceId(eui64)).get(0))).isEqualTo(serial);
    }

    @Test
    void aKeyThatNeverLeavesASoftHsmTokenConnectsRenewsInTheTokenAndConnectsAgain() throws Exception {
        boolean available = Files.isRegularFile(SOFTHSM) && onPath("softhsm2-util") && onPath("pkcs11-tool");
        if ("1".equals(System.getenv("FLEETKEY_REQUIRE_SOFTHSM"))) {
            assertThat(available).as("FLEETKEY_REQUIRE_SOFTHSM=1 but softhsm2/opensc are not installed").isTrue();
        }
        Assumptions.assumeTrue(available, "softhsm2 and pkcs11-tool are not installed");
        Map<String, String> env = softHsmToken();
        ServiceHttp http = new ServiceHttp(port);
        String eui64 = "00-11-22-FF-FE-00-B1-03";
        byte[] publicKey = tool(env, "--read-object", "--type", "pubkey", "--id", "01", "-o",
                dir.resolve("pub.der").toString()) == 0 ? Files.readAllBytes(dir.resolve("pub.der")) : null;
        assertThat(publicKey).isNotNull();
        assertThat(http.provision(eui64, "renew-x509", "\"publicKey\":\"" + Base64.getEncoder().encodeToString(publicKey)
                + "\"").statusCode()).isEqualTo(201);
        Files.write(dir.resolve("cert.der"), devices.allCredentials(deviceId(eui64)).get(0).certificate());
        assertThat(tool(env, "--login", "--pin", "1234", "--write-object", dir.resolve("cert.der").toString(),
                "--type", "cert", "--id", "01", "--label", "device")).isZero();
        Path trust = trust(http);
        Path state = install(http, eui64, trust, env);
        String[] token = {"--pkcs11-module", SOFTHSM.toString(), "--pkcs11-token", "fleetkey-e2e", "--pkcs11-key",
            "device"};

        Run connect = cli(env, concat(new String[] {"connect", "--state-dir", state.toString(), "--trust",
            trust.toString(), "--server", "fleetkey", "--address", address()}, token));
        assertThat(connect.code()).as(connect.out()).isZero();
        Run renew = cli(env, concat(new String[] {"renew", "--server", "fleetkey", "--state-dir", state.toString(),
            "--trust", trust.toString(), "--address", address()}, token));
        assertThat(renew.code()).as(renew.out()).isZero();
        Matcher serials = RENEWED.matcher(renew.out());
        assertThat(serials.find()).as(renew.out()).isTrue();
        assertThat(currentSerial(eui64)).isEqualTo(serials.group(2));
        Run again = cli(env, concat(new String[] {"checkin", "--state-dir", state.toString(), "--trust",
            trust.toString(), "--server", "fleetkey", "--address", address(), "--firmware-version", "1.0.1"}, token));

        assertThat(again.code()).as(again.out()).isZero();
        String stored = Files.readString(state.resolve("credentials").resolve("fleetkey").resolve("active"));
        assertThat(stored).contains("key=token", "key-label=fleetkey-").doesNotContain("private-key=");
    }

    private Map<String, String> softHsmToken() throws Exception {
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Path conf = Files.writeString(dir.resolve("softhsm2.conf"), "directories.tokendir = " + tokens
                + "\nobjectstore.backend = file\nlog.level = ERROR\n");
        Map<String, String> env = Map.of("SOFTHSM2_CONF", conf.toString(), "FLEETKEY_PKCS11_PIN", "1234");
        assertThat(exec(env, "softhsm2-util", "--init-token", "--free", "--label", "fleetkey-e2e", "--pin", "1234",
                "--so-pin", "5678").code()).isZero();
        assertThat(tool(env, "--login", "--pin", "1234", "--keypairgen", "--key-type", "EC:prime256v1", "--label",
                "device", "--id", "01")).isZero();
        return env;
    }

    private static int tool(Map<String, String> env, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("pkcs11-tool", "--module", SOFTHSM.toString(), "--token-label",
                "fleetkey-e2e"));
        line.addAll(List.of(args));
        Run run = exec(env, line.toArray(new String[0]));
        assertThat(run.code()).as(run.out()).isZero();
        return run.code();
    }

    private Path install(ServiceHttp http, String eui64, Path trust, Map<String, String> env) throws Exception {
        Path bundle = Files.write(dir.resolve(eui64 + ".bundle"), http.get("/api/v1/devices/" + eui64 + "/bundle")
                .body());
        Path state = dir.resolve("state-" + eui64);
        Run install = cli(env, "install", "--state-dir", state.toString(), "--bundle", bundle.toString(),
                "--hardware-class", "rev-a", "--trust", trust.toString());
        assertThat(install.code()).as(install.out()).isZero();
        return state;
    }

    private Path trust(ServiceHttp http) throws Exception {
        return Files.write(dir.resolve("signer.pem"), http.get("/api/v1/trust/bundle-signer.pem").body());
    }

    private long deviceId(String eui64) {
        return devices.findByEui64(Eui64.parse(eui64)).orElseThrow().id();
    }

    /** The serial of the device's one current certificate (neither revoked nor ending). */
    private String currentSerial(String eui64) throws Exception {
        List<DeviceCredential> current = devices.allCredentials(deviceId(eui64)).stream()
                .filter(c -> c.revokedAt() == null && c.validUntil() == null).toList();
        assertThat(current).hasSize(1);
        return serialOf(current.get(0));
    }

    private static String serialOf(DeviceCredential credential) throws Exception {
        return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(credential.certificate()))).getSerialNumber().toString(16);
    }

    private static Run cli(Map<String, String> env, String... args) throws Exception {
        Path jar = Path.of("..", "client-runtime", "cli", "target", "fleetkey-device.jar");
        assertThat(jar).as("the shaded CLI jar; build client-runtime/cli with 'package' first").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx48m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        return exec(env, command.toArray(new String[0]));
    }

    private static Run exec(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private static BundleVerifier verifier(Path trust) throws Exception {
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(trust)));
        return BundleVerifier.builder().trustAnchor(signer).build();
    }

    private String address() {
        return "127.0.0.1:" + endpoint.boundAddress().getPort();
    }

    private InetSocketAddress endpointAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.boundAddress().getPort());
    }
}
