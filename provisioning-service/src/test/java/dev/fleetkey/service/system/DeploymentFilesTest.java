package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * The files under {@code deploy/} that DEPLOYMENT.md tells a reader to install as they are: the systemd units pass
 * {@code systemd-analyze verify} (where systemd is installed) without a warning, and the instance configuration is
 * YAML naming the settings the guide explains. {@code TwoInstancesIT} starts two instances with that file.
 */
class DeploymentFilesTest {

    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @Test
    void theSystemdUnitsVerifyWithoutAWarning() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/java")), "the units run /usr/bin/java, which is not installed");
        List<String> command = new ArrayList<>(List.of(SYSTEMD_ANALYZE.toString(), "verify"));
        for (String unit : List.of("fleetkey.service", "fleetkey-backup.service", "fleetkey-backup.timer")) {
            command.add(DEPLOY.resolve(unit).toString());
        }
        Process verify = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(verify.exitValue()).as(output).isZero();
        assertThat(output).as("systemd-analyze verify output").isBlank();
    }

    @Test
    void theInstanceConfigurationSetsWhatTheGuideExplains() throws Exception {
        List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("fleetkey.yml",
                new FileSystemResource(DEPLOY.resolve("fleetkey.yml")));
        assertThat(yaml).hasSize(1);
        PropertySource<?> settings = yaml.get(0);

        assertThat(settings.getProperty("spring.datasource.url")).asString().startsWith("jdbc:postgresql://");
        assertThat(settings.getProperty("spring.datasource.hikari.maximum-pool-size")).isEqualTo(20);
        assertThat(settings.getProperty("fleetkey.keys.provider")).isEqualTo("pkcs11");
        assertThat(settings.getProperty("server.forward-headers-strategy")).isEqualTo("native");
        assertThat(settings.getProperty("spring.datasource.password")).as("secrets stay in fleetkey.env").isNull();
        assertThat(Files.readString(DEPLOY.resolve("fleetkey.service"))).contains("EnvironmentFile=/etc/fleetkey/fleetkey.env",
                "--spring.config.additional-location=file:/etc/fleetkey/fleetkey.yml");
    }
}
