package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/fleetkey-provisioning-service.jar}) as an operator runs it: its own
 * JVM, {@code java -jar}, a data directory of its own, on a free port, with the coaps endpoint off. It can
 * be killed as hard as a power cut kills a process ({@code SIGKILL}: no shutdown hook, no close of the
 * database) and started again over the same data directory.
 */
public final class ServiceProcess implements AutoCloseable {

    static final Path JAR = Path.of("target", "fleetkey-provisioning-service.jar").toAbsolutePath();
    // generous: on a CI machine shared with other builds a start took over 120 s
    private static final Duration START_LIMIT = Duration.ofSeconds(240);

    private final Process process;
    private final int port;
    private final Path log;
    private final Map<String, String> properties;

    private ServiceProcess(Process process, int port, Path log, Map<String, String> properties) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.properties = properties;
    }

    /** Starts the jar over {@code dataDir} and waits until it answers HTTP; its output goes to {@code log}. */
    static ServiceProcess start(Path dataDir, Path log) {
        return start(dataDir, log, Map.of());
    }

    /**
     * Starts the jar over {@code dataDir} with {@code properties} added to (or replacing) the defaults, e.g. a
     * PostgreSQL {@code spring.datasource.url} or {@code fleetkey.device-endpoint.enabled=true}.
     */
    static ServiceProcess start(Path dataDir, Path log, Map<String, String> properties) {
        return start(dataDir, log, properties, Map.of());
    }

    /** As {@link #start(Path, Path, Map)}, with {@code environment} added, e.g. a PKCS#11 token's. */
    static ServiceProcess start(Path dataDir, Path log, Map<String, String> properties, Map<String, String> environment) {
        assertThat(JAR).as("the repackaged service jar; run this test through ./mvnw verify (failsafe runs after package)")
                .exists();
        int port = freePort();
        Map<String, String> effective = new LinkedHashMap<>();
        effective.put("server.port", String.valueOf(port));
        effective.put("fleetkey.data-dir", dataDir.toString());
        effective.put("fleetkey.templates-dir", TestService.repositoryTemplates().toString());
        effective.put("fleetkey.firmware-dir", dataDir.resolveSibling("firmware").toString());
        effective.put("fleetkey.device-endpoint.enabled", "false");
        effective.putAll(properties);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only: on a busy 2-core machine the start-up is what costs, not peak throughput
                "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-jar", JAR.toString()));
        effective.forEach((name, value) -> command.add("--" + name + "=" + value));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("FLEETKEY_ADMIN_PASSWORD", TestService.ADMIN_PASSWORD);
        builder.environment().put("FLEETKEY_KEYSTORE_PASSWORD", TestService.KEYSTORE_PASSWORD);
        builder.environment().putAll(environment);
        try {
            ServiceProcess service = new ServiceProcess(builder.start(), port, log, Map.copyOf(effective));
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** The coaps endpoint's UDP port, when it was started with one. */
    int devicePort() {
        return Integer.parseInt(properties.get("fleetkey.device-endpoint.port"));
    }

    ApiClient admin() {
        return ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    /** {@code SIGKILL}: the JVM stops between two instructions; nothing it buffered is written. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the service process ended after SIGKILL").isTrue();
    }

    /** An orderly stop ({@code SIGTERM}), for the end of a test. */
    @Override
    public void close() {
        stopOrderly(process);
    }

    /** {@code SIGTERM}, then {@code SIGKILL} if the process has not ended within 30 s: a test's own service stop. */
    public static void stopOrderly(Process process) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        ApiClient anonymous = ApiClient.anonymous(port);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + " while starting:\n" + logTail());
            }
            try {
                if (anonymous.get("/api/v1/trust/bundle-signer.pem").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            sleep(250);
        }
        process.destroyForcibly();
        throw new AssertionError("the service did not answer within " + START_LIMIT.toSeconds() + " s:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
