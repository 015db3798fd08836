package dev.fleetkey.service.logins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.users.Role;
import dev.fleetkey.service.users.UserAdministration;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Password guessing over real HTTP, on the API (HTTP Basic) and the login form (with its CSRF token), against
 * the default throttle settings: 5 failures lock a user name for 15 s, 10 from one address lock the address
 * for 1 min. The service's clock is moved forward instead of waiting for a lock to pass.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LoginThrottleIT {

    private static final String PASSWORD = "right-password-1";

    @TestConfiguration
    static class MovedTime {
        @Bean
        MovableClock clock() {
            return new MovableClock();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Autowired
    UserAdministration users;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void earlierFailuresAreForgotten() {
        clock.advance(Duration.ofHours(2));
    }

    @Test
    void thirtyWrongBasicPasswordsLockTheUserNameAndTheRightOneWaitsUntilTheLockEnds() {
        users.create("basil", PASSWORD, Role.ADMIN);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            statuses.add(basic("basil", "wrong-" + i).get("/api/v1/stations").statusCode());
        }

        assertThat(statuses.subList(0, 5)).containsOnly(401);
        assertThat(statuses.subList(5, 30)).containsOnly(429);
        HttpResponse<byte[]> refused = basic("basil", PASSWORD).get("/api/v1/stations");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ApiClient.json(refused).get("detail").stringValue()).contains("Too many failed logins for this user name");
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 15L);

        clock.advance(Duration.ofSeconds(retryAfter));
        assertThat(basic("basil", PASSWORD).get("/api/v1/stations").statusCode()).isEqualTo(200);
        assertThat(audited("login.locked", "user:basil for:15s")).isEqualTo(1);
    }

    @Test
    void thirtyWrongPasswordsOnTheLoginFormLockItAndTheFormSaysForHowLong() {
        users.create("fiona", PASSWORD, Role.OPERATOR);
        BrowserSession browser = new BrowserSession(port);
        List<String> redirects = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            redirects.add(browser.logIn("fiona", "wrong-" + i));
        }

        assertThat(redirects.subList(0, 5)).allMatch(l -> l.endsWith("/login?error"));
        assertThat(redirects.subList(5, 30)).allMatch(l -> l.matches(".*/login\\?locked=\\d+"));
        String refused = browser.logIn("fiona", PASSWORD);
        assertThat(refused).matches(".*/login\\?locked=\\d+");
        assertThat(browser.get(refused.substring(refused.indexOf("/login"))).body())
                .contains("Too many failed logins for this user name or from your")
                .containsPattern("Try again in \\d+ seconds");

        clock.advance(Duration.ofSeconds(15));
        assertThat(browser.logIn("fiona", PASSWORD)).endsWith("/");
    }

    @Test
    void aLockIsShownOnTheUsersPageAndAnAdminCanLiftIt() {
        users.create("ulla", PASSWORD, Role.AUDITOR);
        BrowserSession admin = new BrowserSession(port);
        assertThat(admin.logIn("admin", TestService.ADMIN_PASSWORD)).endsWith("/");
        for (int i = 0; i < 6; i++) {
            basic("ulla", "wrong-" + i).get("/api/v1/audit/verify");
        }
        assertThat(basic("ulla", PASSWORD).get("/api/v1/audit/verify").statusCode()).isEqualTo(429);

        String page = admin.get("/users").body();
        assertThat(page).contains("id=\"login-failure-table\"").contains("<code>ulla</code>").contains(">Unlock</button>");
        assertThat(admin.post("/users/login-locks", "kind", "ACCOUNT", "subject", "ulla").statusCode()).isEqualTo(302);

        assertThat(basic("ulla", PASSWORD).get("/api/v1/audit/verify").statusCode()).isEqualTo(200);
        assertThat(audited("login.locked", "user:ulla for:15s")).isEqualTo(1);
        assertThat(audited("login.unlocked", "user:ulla")).isEqualTo(1);
    }

    @Test
    void anAddressFailingForManyUserNamesIsLockedForEveryNameUntilItsLockEnds() {
        users.create("ada", PASSWORD, Role.ADMIN);
        String token = ApiClient.json(basic("ada", PASSWORD).postJson("/api/v1/users/me/tokens", "{\"name\":\"ada-ci\"}"))
                .get("token").stringValue();
        for (int i = 0; i < 10; i++) {
            assertThat(basic("guess-" + i, "wrong").get("/api/v1/stations").statusCode()).isEqualTo(401);
        }

        HttpResponse<byte[]> refused = basic("ada", PASSWORD).get("/api/v1/stations");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(ApiClient.json(refused).get("detail").stringValue()).contains("Too many failed logins from your address");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'login.locked' AND subject LIKE 'address:%'")
                .query(Long.class).single()).isPositive();
        assertThat(ApiClient.withAuthorization(port, "Bearer " + token).get("/api/v1/stations").statusCode())
                .as("a valid API token still works from a locked address").isEqualTo(200);
        HttpResponse<byte[]> badToken = ApiClient.withAuthorization(port, "Bearer fku_" + "A".repeat(43)).get("/api/v1/stations");
        assertThat(badToken.statusCode()).isEqualTo(429);
        assertThat(badToken.headers().firstValue("Retry-After")).isPresent();

        clock.advance(Duration.ofMinutes(1));
        assertThat(basic("ada", PASSWORD).get("/api/v1/stations").statusCode()).isEqualTo(200);
    }

    @Test
    void aSuccessfulLoginClearsTheFailuresOfItsUserName() {
        users.create("sam", PASSWORD, Role.ADMIN);
        for (int i = 0; i < 4; i++) {
            assertThat(basic("sam", "wrong").get("/api/v1/stations").statusCode()).isEqualTo(401);
        }
        assertThat(basic("sam", PASSWORD).get("/api/v1/stations").statusCode()).isEqualTo(200);

        for (int i = 0; i < 4; i++) {
            assertThat(basic("sam", "wrong").get("/api/v1/stations").statusCode()).isEqualTo(401);
        }
        assertThat(basic("sam", PASSWORD).get("/api/v1/stations").statusCode()).isEqualTo(200);
    }

    private ApiClient basic(String user, String password) {
        return ApiClient.withAuthorization(port, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private long audited(String action, String subject) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = :a AND subject = :s")
                .param("a", action).param("s", subject).query(Long.class).single();
    }
}
