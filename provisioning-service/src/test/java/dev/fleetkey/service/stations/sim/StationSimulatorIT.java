package dev.fleetkey.service.stations.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.TestService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import picocli.CommandLine;

/**
 * The station simulator as an operator runs it, on a small load against a real service: it makes its
 * stations, provisions every device once per phase over HTTP, and prints one row per mode and phase with
 * no errors, the floor and the service's CPU per device. The numbers themselves are not judged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StationSimulatorIT {

    private static final int DEVICES = 24;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void printsOneRowPerModeAndPhaseWithEveryDeviceProvisioned() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = new CommandLine(new StationSimulator(new PrintStream(printed, true, StandardCharsets.UTF_8),
                TestService.ADMIN_PASSWORD)).execute("--url", "http://localhost:" + port, "--stations", "3",
                "--devices", Integer.toString(DEVICES), "--mode", "psk=demo-sensor,x509=demo-x509", "--warmup-seconds", "0",
                "--floor-seconds", "1", "--service-pid", Long.toString(ProcessHandle.current().pid()));

        String table = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(table).isZero();
        for (String mode : List.of("psk", "x509")) {
            for (String phase : List.of("single", "batch")) {
                String[] row = table.lines().filter(l -> l.startsWith(String.format("%-5s %-7s", mode, phase)))
                        .findFirst().orElseThrow(() -> new AssertionError("no " + mode + " " + phase + " row in\n" + table))
                        .trim().split("\\s+");
                assertThat(row).as(Arrays.toString(row)).hasSize(12);
                assertThat(Integer.parseInt(row[2])).as("devices provisioned").isEqualTo(DEVICES);
                assertThat(Integer.parseInt(row[3])).as("errors").isZero();
                assertThat(Double.parseDouble(row[4])).as("devices/s").isPositive();
                assertThat(Double.parseDouble(row[7])).as("floor devices/s").isPositive();
                assertThat(Double.parseDouble(row[9])).as("service CPU ms per device").isPositive();
                assertThat(Double.parseDouble(row[10])).as("floor CPU ms per device").isPositive();
                if (phase.equals("single")) {
                    assertThat(Double.parseDouble(row[5])).as("p50 ms").isPositive().isLessThanOrEqualTo(Double.parseDouble(row[6]));
                }
            }
        }
        // two modes x two phases, each device once, all made by the simulator's stations
        assertThat(jdbc.sql("SELECT COUNT(*) FROM station_devices sd JOIN stations s ON s.id = sd.station_id"
                + " WHERE s.name LIKE 'sim-%'").query(Long.class).single()).isEqualTo(4L * DEVICES);
    }
}
