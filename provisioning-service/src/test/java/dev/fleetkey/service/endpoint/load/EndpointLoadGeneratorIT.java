package dev.fleetkey.service.endpoint.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.TestService;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import picocli.CommandLine;

/**
 * The endpoint load generator as an operator runs it, briefly, against a real service with its coaps endpoint:
 * it provisions devices of every mode through a station, and prints every row (the echo reference, each mode's
 * full, resumed, check-in and twice-the-rate rows, each mode's floor, the memory per session). The numbers
 * themselves are not judged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointLoadGeneratorIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @Test
    void printsEveryRowForEveryMode() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int exit = new CommandLine(new EndpointLoadGenerator(new PrintStream(printed, true, StandardCharsets.UTF_8),
                TestService.ADMIN_PASSWORD)).execute("--url", "http://localhost:" + port,
                "--coaps", "127.0.0.1:" + endpoint.boundAddress().getPort(), "--devices", "3", "--concurrency", "2",
                "--seconds", "1", "--warmup-seconds", "1", "--idle-seconds", "0", "--settle-seconds", "0", "--service-pid", Long.toString(ProcessHandle.current().pid()));

        String table = printed.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(table).isZero();
        assertRow(table, "echo", "request");
        for (String mode : List.of("psk", "rpk", "x509")) {
            for (String phase : List.of("full", "resumed", "checkin", "2x-full")) {
                assertRow(table, mode, phase);
            }
            assertThat(table).as(table).containsPattern("floor " + mode + " +[0-9.]+ handshakes/s");
            assertThat(table).as(table).containsPattern("groups " + mode + " +[0-9]+ check-ins in [1-9][0-9]* commits");
        }
        assertThat(table).as(table).containsPattern("memory: 9 idle sessions added -?[0-9]+ bytes of live service heap");
        assertThat(table).as(table).contains("load average before");
    }

    private static void assertRow(String table, String mode, String phase) {
        String[] row = table.lines().filter(l -> l.startsWith(String.format("%-5s %-8s", mode, phase))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + mode + " " + phase + " row in\n" + table)).trim().split("\\s+");
        assertThat(row).as(String.join(" ", row)).hasSize(12);
        assertThat(Integer.parseInt(row[2])).as("attempts of " + mode + " " + phase).isPositive();
        assertThat(Double.parseDouble(row[6])).as("ok/s of " + mode + " " + phase).isNotNegative();
    }
}
