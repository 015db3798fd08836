package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A table of malformed bodies thrown at every station and stations-admin endpoint: always a 4xx problem, never 5xx. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MalformedBodiesIT {

    private static final List<String> BODIES = List.of(
            "", " ", "{", "}", "[]", "[{}]", "null", "0", "-1", "true", "\"text\"", "{\"a\":}", "{'eui64':'x'}",
            "{\"eui64\":null,\"template\":null}", "{\"eui64\":[],\"template\":{}}", "{\"eui64\":\"zz\",\"template\":7}",
            "{\"eui64\":\"00-11-22-FF-FE-04-00-01\",\"template\":\"no-such-template\"}",
            "{\"eui64s\":\"00-11-22-FF-FE-04-00-01\",\"template\":\"demo-sensor\"}", "{\"eui64s\":[{}],\"template\":\"demo-sensor\"}",
            "{\"eui64s\":[[1]],\"template\":[]}", "{\"name\":\"\\u0000\",\"allowedTemplates\":\"demo-sensor\"}",
            "{\"name\":\"ok\",\"allowedTemplates\":[null],\"quotaPerMinute\":1}", "{\"quotaPerMinute\":\"fast\"}",
            "{\"quotaPerMinute\":1e40}", "{\"quotaPerMinute\":-5,\"name\":\"x\",\"allowedTemplates\":[\"demo-sensor\"]}",
            "{\"enabled\":\"maybe\"}", "{\"transportPublicKey\":\"!!!not base64\"}", "{\"transportPublicKey\":\"AAAA\"}",
            "{\"result\":5}", "{\"result\":\"pass\",\"detail\":[1]}", "{\"result\":\"pass\",\"detail\":\"" + "x".repeat(600) + "\"}",
            "{\"name\":\"" + "n".repeat(100_000) + "\"}", "{\"x\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
            "\u00ff\u00fe garbage", "{\"eui64\":\"\\ud800\"}");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Test
    void everyMalformedBodyAtEveryEndpointGetsA4xxProblem() {
        ApiClient admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        StationFixtures.MadeStation made = StationFixtures.createStation(admin, "fuzz-line", 100_000, "demo-sensor");
        ApiClient station = ApiClient.station(port, made.token());
        assertThat(station.provision("00-11-22-FF-FE-04-00-FF", "demo-sensor").statusCode()).isEqualTo(201);
        record Endpoint(ApiClient client, String method, String path) {
        }
        List<Endpoint> endpoints = List.of(
                new Endpoint(admin, "POST", "/api/v1/stations"),
                new Endpoint(admin, "PATCH", "/api/v1/stations/" + made.id()),
                new Endpoint(admin, "POST", "/api/v1/devices"),
                new Endpoint(station, "POST", "/api/v1/devices"),
                new Endpoint(station, "POST", "/api/v1/devices/00-11-22-FF-FE-04-00-FF/eol"),
                new Endpoint(admin, "POST", "/api/v1/devices/00-11-22-FF-FE-04-00-FF/eol"),
                new Endpoint(station, "POST", "/api/v1/batches"),
                new Endpoint(admin, "POST", "/api/v1/batches"));
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            for (String body : BODIES) {
                check(wrong, endpoint.client().send(endpoint.method(), endpoint.path(), body), endpoint.method(), endpoint.path(), body);
                check(wrong, endpoint.client().send(endpoint.method(), endpoint.path(), body, "Idempotency-Key", "fuzz"),
                        endpoint.method(), endpoint.path(), body);
            }
            check(wrong, endpoint.client().send(endpoint.method(), endpoint.path(), "eui64=x", "Content-Type", "text/plain"),
                    endpoint.method(), endpoint.path(), "text/plain");
            check(wrong, endpoint.client().send(endpoint.method(), endpoint.path(), "{}", "Idempotency-Key", "bad key with spaces"),
                    endpoint.method(), endpoint.path(), "{} with a bad Idempotency-Key");
        }
        assertThat(wrong).isEmpty();
    }

    private static void check(List<String> wrong, HttpResponse<byte[]> response, String method, String path, String body) {
        boolean problem = response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json");
        if (response.statusCode() < 400 || response.statusCode() >= 500 || !problem) {
            wrong.add(method + " " + path + " " + abbreviate(body) + " -> " + response.statusCode() + " "
                    + abbreviate(ApiClient.text(response)));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
