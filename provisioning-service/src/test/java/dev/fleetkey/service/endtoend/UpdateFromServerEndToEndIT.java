package dev.fleetkey.service.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.runtime.CoapReply;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.credentials.ServiceHttp;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code fleetkey-device update --from-server} (the shaded jar) against the whole service over real UDP and DTLS: a device
 * installed from its service bundle applies the fleet bundle GET /config serves; a second run downloads
 * nothing (its ETag is answered 2.03); after a rotation through the admin API the next run installs the new
 * device bundle (sealed to the key the device held) and the device then connects with its new credentials.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UpdateFromServerEndToEndIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @Autowired
    JdbcClient jdbc;

    /** One run of the shaded CLI jar: exit code and what it printed (stdout and stderr together). */
    private record Run(int code, String out) {
        String all() {
            return out;
        }
    }

    @Test
    void deviceUpdatesFromTheServerOnceThenIsUpToDateAndAfterARotationRunsOnItsNewCredentials(@TempDir Path dir)
            throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        String eui64 = "00-11-22-FF-FE-00-D1-01";
        assertThat(http.provision(eui64, "demo-rpk", null).statusCode()).isEqualTo(201);
        Path bundle = Files.write(dir.resolve("device.bundle"), http.get("/api/v1/devices/" + eui64 + "/bundle").body());
        Path trust = Files.write(dir.resolve("signer.pem"), http.get("/api/v1/trust/bundle-signer.pem").body());
        Path state = dir.resolve("state");
        Run install = cli("install", "--state-dir", state.toString(), "--bundle", bundle.toString(),
                "--hardware-class", "rev-a", "--trust", trust.toString());
        assertThat(install.code()).as(install.all()).isZero();
        DeviceStateDirectory directory = DeviceStateDirectory.open(state, verifier(trust));
        InstalledState installed = directory.current(Instant.now());
        assertThat(installed.fleetBundle()).isEmpty();

        Run dryRun = cli("update", "--from-server", "fleetkey", "--state-dir", state.toString(), "--trust",
                trust.toString(), "--address", address(), "--dry-run");
        assertThat(dryRun.code()).as(dryRun.all()).isZero();
        assertThat(dryRun.out()).contains("fleet bundle sequence").contains("dry run: nothing applied");
        assertThat(DeviceStateDirectory.open(state, verifier(trust)).current(Instant.now()).fleetBundle()).isEmpty();

        Run first = update(state, trust);
        assertThat(first.code()).as(first.all()).isZero();
        assertThat(first.out()).contains("applied");
        InstalledState afterFirst = DeviceStateDirectory.open(state, verifier(trust)).current(Instant.now());
        assertThat(afterFirst.fleetBundle()).as("the served fleet bundle is now held").isPresent();
        assertThat(afterFirst.fleetBundle().get().template().id()).isEqualTo("demo-rpk");
        assertThat(afterFirst.deviceBundle().sequence()).isEqualTo(installed.deviceBundle().sequence());

        Run second = update(state, trust);
        assertThat(second.code()).as(second.all()).isZero();
        assertThat(second.out()).as("the remembered ETag is answered 2.03").contains("up to date: fleetkey has nothing newer");
        assertThat(DeviceStateDirectory.open(state, verifier(trust)).current(Instant.now()).slot())
                .isEqualTo(afterFirst.slot());

        assertThat(http.post("/api/v1/devices/" + eui64 + "/rotate", "{\"overlap\":\"P1D\"}").statusCode())
                .isEqualTo(200);
        // a dry run fetches the pending bundle without installing it: the new key must still come afterwards
        Run rotatedDryRun = cli("update", "--from-server", "fleetkey", "--state-dir", state.toString(), "--trust",
                trust.toString(), "--address", address(), "--dry-run");
        assertThat(rotatedDryRun.code()).as(rotatedDryRun.all()).isZero();
        assertThat(newKeysHeldByService(eui64)).as("demo-rpk keeps the new key until the device confirms it").isEqualTo(1);
        Run rotated = update(state, trust);
        assertThat(rotated.code()).as(rotated.all()).isZero();
        assertThat(rotated.out()).contains("+ device bundle sequence").contains("applied");
        InstalledState afterRotation = DeviceStateDirectory.open(state, verifier(trust)).current(Instant.now());
        assertThat(afterRotation.deviceBundle().sequence()).isGreaterThan(installed.deviceBundle().sequence());
        assertThat(clientPublicKey(afterRotation.deviceBundle())).isNotEqualTo(clientPublicKey(installed.deviceBundle()));

        // a full handshake on the new credentials alone (no saved session to resume), answered with the device's name
        try (SecureSession session = SecureSession.open(afterRotation.effectiveBundle(), "fleetkey",
                Optional.of(endpointAddress()))) {
            CoapReply hello = session.get("/hello");
            assertThat(hello.code()).isEqualTo("2.05");
            assertThat(hello.text()).contains(eui64);
        }
        Run hello = cli("get", "--state-dir", state.toString(), "--trust", trust.toString(), "--server", "fleetkey",
                "--address", address(), "/hello");
        assertThat(hello.code()).as(hello.all()).isZero();
        assertThat(hello.out()).contains(eui64);

        // the check-in reports the installed bundle: only now does the service drop the key it made
        Run checkin = cli("checkin", "--state-dir", state.toString(), "--trust", trust.toString(), "--server",
                "fleetkey", "--address", address(), "--firmware-version", "1.0.0");
        assertThat(checkin.code()).as(checkin.all()).isZero();
        assertThat(newKeysHeldByService(eui64)).as("demo-rpk does not retain private keys once delivered").isZero();

        Run settled = update(state, trust);
        assertThat(settled.code()).as(settled.all()).isZero();
        assertThat(settled.out()).contains("up to date");
        Run again = update(state, trust);
        assertThat(again.out()).contains("up to date: fleetkey has nothing newer");
    }

    /** How many current credentials of the device still have a service-held private key. */
    private long newKeysHeldByService(String eui64) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM device_credentials c JOIN devices d ON d.id = c.device_id
                WHERE d.eui64 = :eui64 AND c.sealed_secret IS NOT NULL AND c.revoked_at IS NULL
                  AND c.valid_until IS NULL""").param("eui64", eui64).query(Long.class).single();
    }

    private Run update(Path state, Path trust) throws Exception {
        return cli("update", "--from-server", "fleetkey", "--state-dir", state.toString(), "--trust", trust.toString(),
                "--address", address());
    }

    private static Run cli(String... args) throws Exception {
        Path jar = Path.of("..", "client-runtime", "cli", "target", "fleetkey-device.jar");
        assertThat(jar).as("the shaded CLI jar; build client-runtime/cli with 'package' first").isRegularFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx48m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static BundleVerifier verifier(Path trust) throws Exception {
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(trust)));
        return BundleVerifier.builder().trustAnchor(signer).build();
    }

    private static byte[] clientPublicKey(BundlePayload device) {
        return ((ServerCredentials.RawPublicKey) device.server("fleetkey").orElseThrow().credentials()).clientPublicKey();
    }

    private String address() {
        return "127.0.0.1:" + endpoint.boundAddress().getPort();
    }

    private InetSocketAddress endpointAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.boundAddress().getPort());
    }
}
