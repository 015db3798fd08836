package dev.fleetkey.service.pki.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.system.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code java -jar}) with its keys in a {@link SoftHsmToken}: a process of its own, because
 * SoftHSM reads {@code SOFTHSM2_CONF} from the process environment once, and the coaps endpoint on a free loopback
 * UDP port. The PIN goes in {@code FLEETKEY_PKCS11_PIN}; no keystore password is set.
 */
final class TokenServiceProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "fleetkey-provisioning-service.jar").toAbsolutePath();
    private static final Duration START_LIMIT = Duration.ofSeconds(180);

    private final Process process;
    private final int port;
    private final int udpPort;
    private final Path log;

    private TokenServiceProcess(Process process, int port, int udpPort, Path log) {
        this.process = process;
        this.port = port;
        this.udpPort = udpPort;
        this.log = log;
    }

    /** Starts the service over {@code dataDir} with its keys in {@code token} and waits until it answers. */
    static TokenServiceProcess start(Path dataDir, SoftHsmToken token, String pin) {
        TokenServiceProcess service = launch(dataDir, token, pin);
        service.awaitReady();
        return service;
    }

    /** Starts the service and waits for it to stop by itself; returns its output. */
    static String startExpectingFailure(Path dataDir, SoftHsmToken token, String pin) throws InterruptedException {
        TokenServiceProcess service = launch(dataDir, token, pin);
        try {
            assertThat(service.process.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS))
                    .as("the service stops by itself").isTrue();
            assertThat(service.process.exitValue()).as("exit status").isNotZero();
            return service.output();
        } finally {
            service.close();
        }
    }

    private static TokenServiceProcess launch(Path dataDir, SoftHsmToken token, String pin) {
        assertThat(JAR).as("the repackaged service jar; run this test through ./mvnw verify").exists();
        int port = freeTcpPort();
        int udpPort = freeUdpPort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx512m", "-jar", JAR.toString(),
                "--server.port=" + port,
                "--fleetkey.data-dir=" + dataDir,
                "--fleetkey.templates-dir=" + TestService.repositoryTemplates(),
                "--fleetkey.firmware-dir=" + dataDir.resolveSibling("firmware"),
                "--fleetkey.device-endpoint.enabled=true",
                "--fleetkey.device-endpoint.port=" + udpPort,
                "--fleetkey.device-endpoint.bind-address=127.0.0.1"));
        command.addAll(token.serviceArguments());
        try {
            Path log = Files.createTempFile(Files.createDirectories(dataDir.toAbsolutePath().getParent()), "service-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> environment = builder.environment();
            environment.remove("FLEETKEY_KEYSTORE_PASSWORD");
            environment.putAll(token.environment());
            environment.put("FLEETKEY_ADMIN_PASSWORD", TestService.ADMIN_PASSWORD);
            environment.put("FLEETKEY_PKCS11_PIN", pin);
            return new TokenServiceProcess(builder.start(), port, udpPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    ApiClient admin() {
        return ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    /** The coaps endpoint's address. */
    InetSocketAddress endpoint() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort);
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public void close() {
        ServiceProcess.stopOrderly(process);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + " while starting:\n" + tail());
            }
            try {
                if (ApiClient.anonymous(port).get("/actuator/health/readiness").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the service did not become ready within " + START_LIMIT.toSeconds() + " s:\n" + tail());
    }

    private String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
