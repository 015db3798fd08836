package dev.fleetkey.service.logins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What authenticating costs: the same {@code GET /api/v1/devices/{eui64}} over real HTTP with HTTP Basic (Argon2id
 * per call) and with a personal API token (one SHA-256 and an indexed read). Prints median, p99 and mean; asserts
 * only that every call succeeded, never a timing. More calls: {@code -Dfleetkey.bench.calls=1000}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthenticationCostIT {

    private static final String EUI = "00-11-22-FF-FE-00-92-01";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Test
    void aTokenAuthenticatesTheSameReadWithoutAPasswordHash() {
        int calls = Integer.getInteger("fleetkey.bench.calls", 40);
        ApiClient basic = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        assertThat(basic.provision(EUI, "demo-sensor").statusCode()).isEqualTo(201);
        String token = ApiClient.json(basic.postJson("/api/v1/users/me/tokens", "{\"name\":\"bench\"}")).get("token").stringValue();
        ApiClient bearer = ApiClient.withAuthorization(port, "Bearer " + token);

        measure("warm-up basic ", basic, calls / 4);
        measure("warm-up bearer", bearer, calls);
        System.out.println(measure("HTTP Basic    ", basic, calls));
        System.out.println(measure("Bearer fku_   ", bearer, calls * 4));
    }

    private static String measure(String label, ApiClient client, int calls) {
        long[] micros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            int status = client.get("/api/v1/devices/" + EUI).statusCode();
            micros[i] = (System.nanoTime() - start) / 1000;
            assertThat(status).isEqualTo(200);
        }
        Arrays.sort(micros);
        return String.format("%s GET /api/v1/devices/{eui64} x%d: median %.2f ms, p99 %.2f ms, mean %.2f ms", label, calls,
                micros[calls / 2] / 1000.0, micros[Math.min(calls - 1, (int) Math.ceil(calls * 0.99) - 1)] / 1000.0,
                Arrays.stream(micros).average().orElse(0) / 1000.0);
    }
}
