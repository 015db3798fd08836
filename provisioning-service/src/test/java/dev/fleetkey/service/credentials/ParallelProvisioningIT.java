package dev.fleetkey.service.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.TestService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Concurrent provisioning over real HTTP in all three modes: every device gets its own PSK identity and
 * certificate serial, as the database (not this JVM's memory) holds the claims.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ParallelProvisioningIT {

    static final int THREADS = 8;
    static final int DEVICES_PER_THREAD = 50;
    static final List<String> TEMPLATES = List.of("demo-sensor", "demo-rpk", "demo-x509", "diversified");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
        registry.add("fleetkey.templates-dir", () -> ServiceHttp.templatesWith(Map.of("diversified.yaml", """
                id: diversified
                version: 1
                servers:
                  - name: fleetkey
                    uri: coaps://localhost:5684
                    mode: psk
                    psk:
                      identity: diversified
                      batch: line-7
                bundle:
                  allow-unencrypted-secrets: true
                """)).toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void parallelRequestsInEveryModeGiveUniqueIdentitiesAndSerials(CapturedOutput output) throws Exception {
        ServiceHttp http = new ServiceHttp(port);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long started = System.nanoTime();
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < DEVICES_PER_THREAD; i++) {
                    int n = thread * DEVICES_PER_THREAD + i;
                    String eui64 = String.format("00-11-22-FF-FE-A0-%02X-%02X", n >> 8, n & 0xFF);
                    statuses.add(http.provision(eui64, TEMPLATES.get(n % TEMPLATES.size()), null).statusCode());
                }
                return statuses;
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<List<Integer>> f : results) {
            statuses.addAll(f.get());
        }
        pool.shutdown();
        // a report, not a goal: the machine is shared and each request also pays for HTTP Basic's Argon2 check
        System.out.printf("Provisioned %d devices over HTTP in %d threads: %.1f devices/s%n", THREADS * DEVICES_PER_THREAD,
                THREADS, THREADS * DEVICES_PER_THREAD / ((System.nanoTime() - started) / 1e9));

        int total = THREADS * DEVICES_PER_THREAD;
        assertThat(statuses).hasSize(total).containsOnly(201);
        assertThat(count("SELECT COUNT(*) FROM devices")).isEqualTo(total);
        long psk = count("SELECT COUNT(*) FROM device_credentials WHERE mode = 'PSK'");
        assertThat(psk).isEqualTo(total / 2);
        assertThat(count("SELECT COUNT(DISTINCT psk_identity) FROM device_credentials WHERE mode = 'PSK'")).isEqualTo(psk);
        assertThat(count("SELECT COUNT(*) FROM psk_identities")).isEqualTo(psk);
        long x509 = count("SELECT COUNT(*) FROM device_credentials WHERE mode = 'X509'");
        assertThat(x509).isEqualTo(total / 4);
        assertThat(count("SELECT COUNT(DISTINCT certificate_serial) FROM device_credentials WHERE mode = 'X509'"))
                .isEqualTo(x509);
        // every serial used (CA, server and device certificates) is claimed once in the registry table
        assertThat(count("SELECT COUNT(*) FROM certificate_serials")).isGreaterThanOrEqualTo(x509);
        long rpk = count("SELECT COUNT(*) FROM device_credentials WHERE mode = 'RAW_PUBLIC_KEY'");
        assertThat(count("SELECT COUNT(DISTINCT public_key_sha256) FROM device_credentials WHERE mode <> 'PSK'"))
                .isEqualTo(rpk + x509);
        // the capture covers the start-up, when the registries are chosen
        assertThat(output.getAll()).contains("Successfully applied").doesNotContain("in memory only");
    }

    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
