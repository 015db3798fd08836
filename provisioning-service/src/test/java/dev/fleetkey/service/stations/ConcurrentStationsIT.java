package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Four stations race over the same EUI-64s, each request sent twice with its Idempotency-Key (a retry after
 * a lost answer): every device ends with exactly one identity, and PSK identities are unique.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConcurrentStationsIT {

    private static final int DEVICES = 120;
    private static final int STATIONS = 4;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void concurrentStationsWithOverlappingDevicesAndRetriesEndWithOneIdentityPerDevice() throws Exception {
        ApiClient admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        List<String> eui64s = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            eui64s.add(String.format("00-11-22-FF-FE-03-%02X-%02X", i / 256, i % 256));
        }
        Map<String, List<Integer>> firstAnswers = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> runs = new ArrayList<>();
        for (int s = 0; s < STATIONS; s++) {
            ApiClient station = ApiClient.station(port,
                    StationFixtures.createStation(admin, "race-" + s, 100_000, "demo-sensor").token());
            List<String> order = new ArrayList<>(eui64s);
            Collections.shuffle(order, new Random(s));
            int stationNumber = s;
            runs.add(pool.submit(() -> {
                for (String eui64 : order) {
                    String body = "{\"eui64\":\"" + eui64 + "\",\"template\":\"demo-sensor\"}";
                    String key = "s" + stationNumber + "-" + eui64;
                    HttpResponse<byte[]> first = station.send("POST", "/api/v1/devices", body, "Idempotency-Key", key);
                    HttpResponse<byte[]> retry = station.send("POST", "/api/v1/devices", body, "Idempotency-Key", key);
                    assertThat(first.statusCode()).as(ApiClient.text(first)).isIn(201, 409);
                    if (first.statusCode() == 201) {
                        assertThat(retry.statusCode()).isEqualTo(201);
                        assertThat(retry.body()).isEqualTo(first.body());
                    } else {
                        assertThat(retry.statusCode()).isEqualTo(409);
                    }
                    firstAnswers.computeIfAbsent(eui64, e -> Collections.synchronizedList(new ArrayList<>()))
                            .add(first.statusCode());
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();

        assertThat(firstAnswers).hasSize(DEVICES);
        firstAnswers.forEach((eui64, statuses) -> assertThat(statuses).as(eui64).containsOnlyOnce(201).hasSize(STATIONS));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices").query(Long.class).single()).isEqualTo(DEVICES);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM device_credentials").query(Long.class).single()).isEqualTo(DEVICES);
        assertThat(jdbc.sql("SELECT COUNT(DISTINCT psk_identity) FROM device_credentials").query(Long.class).single())
                .isEqualTo(DEVICES);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM station_devices").query(Long.class).single()).isEqualTo(DEVICES);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bundles_issued").query(Long.class).single()).isZero();
    }
}
