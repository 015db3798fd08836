package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A station that retries after a timeout while its first request still runs: eight requests with the same
 * Idempotency-Key, released together by a barrier, over real HTTP and a real H2 file database. Each must get
 * the one stored answer or "in progress, retry" (409 with Retry-After), never a different outcome.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdempotencyRaceIT {

    private static final int RACERS = 8;
    private static final int TRIALS = 40;
    private static final String IN_PROGRESS = "urn:fleetkey:problem:idempotency-key-in-progress";
    private static final String REUSED = "urn:fleetkey:problem:idempotency-key-reused";

    private static ExecutorService pool;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void threads() {
        pool = Executors.newFixedThreadPool(RACERS);
    }

    @AfterAll
    static void stopThreads() {
        pool.shutdownNow();
    }

    @Test
    void eightRequestsWithTheSameKeyAndBodyGetTheStoredAnswerOrInProgressNeverDeviceExists() throws Exception {
        ApiClient station = station("race-same-body");
        List<String> violations = new ArrayList<>();
        int inProgressSeen = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            String body = body(String.format("00-11-22-FF-FE-0A-00-%02X", trial));
            String key = "same-" + trial;
            List<HttpResponse<byte[]>> answers = race(station, key, body, body);

            List<HttpResponse<byte[]>> created = answers.stream().filter(a -> a.statusCode() == 201).toList();
            if (created.isEmpty()) {
                violations.add("trial " + trial + ": no 201 among " + summary(answers));
                continue;
            }
            for (HttpResponse<byte[]> answer : answers) {
                if (answer.statusCode() == 201 && !Arrays.equals(answer.body(), created.get(0).body())) {
                    violations.add("trial " + trial + ": two different 201 bodies");
                } else if (answer.statusCode() == 409 && isInProgress(answer)) {
                    inProgressSeen++;
                } else if (answer.statusCode() != 201) {
                    violations.add("trial " + trial + ": " + answer.statusCode() + " " + ApiClient.text(answer));
                }
            }
            HttpResponse<byte[]> retry = station.send("POST", "/api/v1/devices", body, "Idempotency-Key", key);
            assertThat(retry.statusCode()).isEqualTo(201);
            assertThat(retry.body()).isEqualTo(created.get(0).body());
            assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }
        System.out.printf("same key, same body: %d of %d trials went wrong; %d answers were 409 in-progress%n",
                violations.stream().map(v -> v.split(":")[0]).distinct().count(), TRIALS, inProgressSeen);
        assertThat(violations).as("answers other than the stored 201 or 409 in-progress").isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices WHERE eui64 LIKE '00-11-22-FF-FE-0A-00-%'")
                .query(Long.class).single()).isEqualTo(TRIALS);
    }

    @Test
    void theSameKeyWithTwoBodiesRacingGetsOneCreatedAndOtherwise422OrInProgressNeverDeviceExists() throws Exception {
        ApiClient station = station("race-two-bodies");
        List<String> violations = new ArrayList<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            String first = body(String.format("00-11-22-FF-FE-0B-00-%02X", trial));
            String second = body(String.format("00-11-22-FF-FE-0B-01-%02X", trial));
            List<HttpResponse<byte[]>> answers = race(station, "two-" + trial, first, second);

            List<byte[]> createdBodies = answers.stream().filter(a -> a.statusCode() == 201).map(HttpResponse::body).toList();
            if (createdBodies.isEmpty() || createdBodies.stream().anyMatch(b -> !Arrays.equals(b, createdBodies.get(0)))) {
                violations.add("trial " + trial + ": not exactly one created answer among " + summary(answers));
            }
            for (HttpResponse<byte[]> answer : answers) {
                boolean allowed = answer.statusCode() == 201
                        || answer.statusCode() == 422 && REUSED.equals(type(answer))
                        || answer.statusCode() == 409 && isInProgress(answer);
                if (!allowed) {
                    violations.add("trial " + trial + ": " + answer.statusCode() + " " + ApiClient.text(answer));
                }
            }
        }
        System.out.printf("same key, two bodies: %d of %d trials went wrong%n",
                violations.stream().map(v -> v.split(":")[0]).distinct().count(), TRIALS);
        assertThat(violations).as("answers other than 201, 422 reused or 409 in-progress").isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices WHERE eui64 LIKE '00-11-22-FF-FE-0B-%'")
                .query(Long.class).single()).isEqualTo(TRIALS);
    }

    @Test
    void apiDescriptionTellsCallersAboutInProgressAndKeysInUse() {
        var paths = ApiClient.json(ApiClient.anonymous(port).get("/v3/api-docs")).get("paths");
        String conflicts = paths.get("/api/v1/devices").get("post").get("responses").get("409").get("description")
                .stringValue();

        assertThat(conflicts).contains("idempotency-key-in-progress", "Retry-After", "public-key-in-use", "device-exists");
        assertThat(paths.get("/api/v1/devices/{eui64}/rotate").get("post").get("responses").get("409").get("description")
                .stringValue()).contains("public-key-in-use");
    }

    /** Sends {@link #RACERS} requests at once, half with {@code bodyA} and half with {@code bodyB}. */
    private static List<HttpResponse<byte[]>> race(ApiClient station, String key, String bodyA, String bodyB)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(RACERS);
        List<Future<HttpResponse<byte[]>>> sent = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            String body = i % 2 == 0 ? bodyA : bodyB;
            sent.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return station.send("POST", "/api/v1/devices", body, "Idempotency-Key", key);
            }));
        }
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        for (Future<HttpResponse<byte[]>> answer : sent) {
            answers.add(answer.get(30, TimeUnit.SECONDS));
        }
        return answers;
    }

    private static boolean isInProgress(HttpResponse<byte[]> answer) {
        return IN_PROGRESS.equals(type(answer)) && answer.headers().firstValue("Retry-After").isPresent();
    }

    private static String type(HttpResponse<byte[]> answer) {
        return answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                ? ApiClient.json(answer).get("type").stringValue() : "";
    }

    private static String summary(List<HttpResponse<byte[]>> answers) {
        return answers.stream().map(a -> a.statusCode() + (a.statusCode() >= 400 ? " " + type(a) : "")).toList().toString();
    }

    private static String body(String eui64) {
        return "{\"eui64\":\"" + eui64 + "\",\"template\":\"demo-sensor\"}";
    }

    private ApiClient station(String name) {
        ApiClient admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        return ApiClient.station(port, StationFixtures.createStation(admin, name, 100_000, "demo-sensor").token());
    }
}
