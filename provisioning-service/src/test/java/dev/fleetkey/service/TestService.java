package dev.fleetkey.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Shared settings for tests that start the service: a fresh data directory and the committed templates. */
public final class TestService {

    public static final String ADMIN_PASSWORD = "test-admin-password-1";
    public static final String KEYSTORE_PASSWORD = "test-keystore-password";

    private TestService() {
    }

    /** The repository's {@code templates/} (tests run in the module directory). */
    public static Path repositoryTemplates() {
        Path dir = Path.of("..", "templates").toAbsolutePath().normalize();
        assertThat(dir.resolve("demo-sensor.yaml")).exists();
        return dir;
    }

    /** Properties for a service over {@code dataDir}; the coaps endpoint stays off so tests share no UDP port. */
    public static Map<String, Object> properties(Path dataDir, boolean withAdminPassword) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("fleetkey.data-dir", dataDir.toString());
        p.put("fleetkey.templates-dir", repositoryTemplates().toString());
        p.put("fleetkey.device-endpoint.enabled", "false");
        p.put("FLEETKEY_KEYSTORE_PASSWORD", KEYSTORE_PASSWORD);
        if (withAdminPassword) {
            p.put("FLEETKEY_ADMIN_PASSWORD", ADMIN_PASSWORD);
        }
        return p;
    }

    public static void register(DynamicPropertyRegistry registry, Path dataDir) {
        properties(dataDir, true).forEach((k, v) -> registry.add(k, () -> v));
    }

    /** {@link #register} in a new data directory, with the coaps device endpoint on a free loopback port. */
    public static void registerWithDeviceEndpoint(DynamicPropertyRegistry registry) {
        register(registry, newDataDir());
        registry.add("fleetkey.device-endpoint.enabled", () -> "true");
        registry.add("fleetkey.device-endpoint.port", () -> "0");
        registry.add("fleetkey.device-endpoint.bind-address", () -> "127.0.0.1");
    }

    /**
     * A new, empty data directory (not yet created, so the service's own creation is exercised). It lives
     * under {@code target/}, where {@code mvn clean} removes it; deleting it from a shutdown hook would race
     * with H2 closing its files.
     */
    public static Path newDataDir() {
        try {
            Path root = Files.createDirectories(Path.of("target", "test-data").toAbsolutePath());
            return Files.createTempDirectory(root, "service-").resolve("data");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
