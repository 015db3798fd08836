package dev.fleetkey.service.logins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.users.Role;
import dev.fleetkey.service.users.UserAdministration;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
import tools.jackson.databind.JsonNode;

/** Personal API tokens over real HTTP and a real H2 file database: made once, used as Bearer, refused when they must be. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UserTokensIT {

    private static final String PASSWORD = "user-password-1";

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
    UserAdministration users;

    @Autowired
    MovableClock clock;

    @Autowired
    JdbcClient jdbc;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void aNewTokenIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        HttpResponse<byte[]> created = admin.postJson("/api/v1/users/me/tokens", "{\"name\":\"ci deploy\",\"expiresInDays\":30}");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode body = ApiClient.json(created);
        String token = body.get("token").stringValue();
        assertThat(token).matches("fku_[A-Za-z0-9_-]{43}");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/users/me/tokens/" + body.get("id").longValue());
        assertThat(Instant.parse(body.get("expiresAt").stringValue()))
                .isBetween(clock.instant().plus(Duration.ofDays(30)).minusSeconds(60), clock.instant().plus(Duration.ofDays(30)));
        String listed = ApiClient.text(admin.get("/api/v1/users/me/tokens"));
        assertThat(listed).contains("ci deploy").doesNotContain(token);
        assertThat(jdbc.sql("SELECT token_sha256 FROM user_tokens WHERE id = :id").param("id", body.get("id").longValue())
                .query(String.class).single())
                .isEqualTo(Sha256.hex(token));
        assertThat(audited("user-token.created", "user-token:" + body.get("id").longValue() + " user:admin%")).isEqualTo(1);
    }

    @Test
    void anAdminTokenReadsADeviceAndFirmwareAsHttpBasicDoes() {
        assertThat(admin.provision("00-11-22-FF-FE-00-91-01", "demo-sensor").statusCode()).isEqualTo(201);
        ApiClient bearer = ApiClient.withAuthorization(port, "Bearer " + token(admin, "reader"));

        HttpResponse<byte[]> device = bearer.get("/api/v1/devices/00-11-22-FF-FE-00-91-01");
        assertThat(device.statusCode()).isEqualTo(200);
        assertThat(ApiClient.text(device)).contains("00-11-22-FF-FE-00-91-01");
        assertThat(bearer.get("/api/v1/firmware/packages").statusCode()).isEqualTo(200);
        assertThat(bearer.get("/api/v1/stations").statusCode()).isEqualTo(200);
    }

    @Test
    void anAuditorsTokenReadsTheAuditLogButCannotProvision() {
        users.create("audrey", PASSWORD, Role.AUDITOR);
        ApiClient auditor = ApiClient.withAuthorization(port, "Bearer " + token(password("audrey"), "audit export"));

        assertThat(auditor.get("/api/v1/audit/verify").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> provision = auditor.provision("00-11-22-FF-FE-00-91-02", "demo-sensor");
        assertThat(provision.statusCode()).isEqualTo(403);
        assertThat(provision.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void aTokenActsWithTheRoleItsUserHasNowAndStopsWhenTheUserIsDisabled() {
        users.create("rolf", PASSWORD, Role.AUDITOR);
        ApiClient rolf = ApiClient.withAuthorization(port, "Bearer " + token(password("rolf"), "provisioner"));
        assertThat(rolf.provision("00-11-22-FF-FE-00-91-03", "demo-sensor").statusCode()).isEqualTo(403);

        users.update("rolf", Role.ADMIN, true);
        assertThat(rolf.provision("00-11-22-FF-FE-00-91-03", "demo-sensor").statusCode()).isEqualTo(201);

        users.update("rolf", Role.ADMIN, false);
        HttpResponse<byte[]> disabled = rolf.get("/api/v1/devices/00-11-22-FF-FE-00-91-03");
        assertThat(disabled.statusCode()).isEqualTo(401);
        assertThat(ApiClient.json(disabled).get("detail").stringValue()).contains("belongs to a disabled user");
    }

    @Test
    void aRevokedTokenIsRefusedWithProblemDetailsAndBothAreAudited() {
        HttpResponse<byte[]> created = admin.postJson("/api/v1/users/me/tokens", "{\"name\":\"short-lived\"}");
        long id = ApiClient.json(created).get("id").longValue();
        ApiClient bearer = ApiClient.withAuthorization(port, "Bearer " + ApiClient.json(created).get("token").stringValue());
        assertThat(bearer.get("/api/v1/stations").statusCode()).isEqualTo(200);

        assertThat(admin.send("DELETE", "/api/v1/users/me/tokens/" + id, null).statusCode()).isEqualTo(204);

        HttpResponse<byte[]> refused = bearer.get("/api/v1/stations");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"fleetkey\"");
        assertThat(ApiClient.json(refused).get("detail").stringValue()).contains("was revoked");
        assertThat(audited("user-token.revoked", "user-token:" + id + " user:admin%")).isEqualTo(1);
        assertThat(audited("user-token.refused", "user-token:" + id + " user:admin reason:revoked")).isEqualTo(1);
    }

    @Test
    void anExpiredTokenIsRefused() {
        ApiClient bearer = ApiClient.withAuthorization(port, "Bearer " + ApiClient.json(admin.postJson("/api/v1/users/me/tokens",
                "{\"name\":\"one day\",\"expiresInDays\":1}")).get("token").stringValue());
        assertThat(bearer.get("/api/v1/stations").statusCode()).isEqualTo(200);

        clock.advance(Duration.ofDays(1));

        HttpResponse<byte[]> refused = bearer.get("/api/v1/stations");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(ApiClient.json(refused).get("detail").stringValue()).contains("has expired");
    }

    @Test
    void unknownAndMalformedTokensAreRefusedWithProblemDetails() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String unknown = "fku_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);

        for (String token : new String[] {unknown, "fku_short", "fku_" + "!".repeat(43)}) {
            HttpResponse<byte[]> refused = ApiClient.withAuthorization(port, "Bearer " + token).get("/api/v1/stations");
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(ApiClient.json(refused).get("detail").stringValue()).contains("is not a valid Fleetkey user token")
                    .doesNotContain(token);
        }
        assertThat(audited("user-token.refused", "user-token:unknown reason:unknown")).isEqualTo(1);
    }

    @Test
    void aTokenMakesNoTokensAndOpensNoWebSession() {
        String token = token(admin, "script");
        ApiClient bearer = ApiClient.withAuthorization(port, "Bearer " + token);

        HttpResponse<byte[]> minted = bearer.postJson("/api/v1/users/me/tokens", "{\"name\":\"escape\"}");
        assertThat(minted.statusCode()).isEqualTo(403);
        assertThat(ApiClient.json(minted).get("detail").stringValue()).contains("with your password");
        assertThat(new BrowserSession(port).logIn("admin", token)).endsWith("/login?error");
        HttpResponse<byte[]> page = bearer.get("/devices");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/login");
    }

    @Test
    void usersSeeAndRevokeOnlyTheirOwnTokensWhileAnAdminRevokesAnyones() {
        users.create("otto", PASSWORD, Role.OPERATOR);
        users.create("olivia", PASSWORD, Role.OPERATOR);
        JsonNode ottos = ApiClient.json(password("otto").postJson("/api/v1/users/me/tokens", "{\"name\":\"otto-ci\"}"));
        long id = ottos.get("id").longValue();
        ApiClient olivia = password("olivia");

        assertThat(ApiClient.text(olivia.get("/api/v1/users/me/tokens"))).doesNotContain("otto-ci");
        assertThat(olivia.send("DELETE", "/api/v1/users/me/tokens/" + id, null).statusCode()).isEqualTo(404);
        assertThat(olivia.get("/api/v1/users/otto/tokens").statusCode()).isEqualTo(403);
        assertThat(ApiClient.text(admin.get("/api/v1/users/otto/tokens"))).contains("otto-ci").contains("\"status\":\"active\"");

        assertThat(admin.send("DELETE", "/api/v1/users/otto/tokens/" + id, null).statusCode()).isEqualTo(204);

        assertThat(ApiClient.withAuthorization(port, "Bearer " + ottos.get("token").stringValue()).get("/api/v1/users/me/tokens")
                .statusCode()).isEqualTo(401);
        assertThat(ApiClient.text(admin.get("/api/v1/users/otto/tokens"))).contains("\"status\":\"revoked\"")
                .contains("\"revokedBy\":\"admin\"");
    }

    @Test
    void anExpiryBeyondAYearIsRefusedNamingTheField() {
        HttpResponse<byte[]> refused = admin.postJson("/api/v1/users/me/tokens", "{\"name\":\"forever\",\"expiresInDays\":400}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(refused).get("field").stringValue()).isEqualTo("expiresInDays");
        HttpResponse<byte[]> defaulted = admin.postJson("/api/v1/users/me/tokens", "{\"name\":\"default\"}");
        assertThat(Instant.parse(ApiClient.json(defaulted).get("expiresAt").stringValue()))
                .isAfter(clock.instant().plus(Duration.ofDays(89)));
    }

    @Test
    void theApiDescriptionOffersBearerUserTokens() {
        JsonNode docs = ApiClient.json(ApiClient.anonymous(port).get("/v3/api-docs"));

        JsonNode scheme = docs.get("components").get("securitySchemes").get("user-token");
        assertThat(scheme.get("scheme").stringValue()).isEqualTo("bearer");
        assertThat(scheme.get("description").stringValue()).contains("fku_");
        assertThat(docs.get("info").get("description").stringValue()).contains("Authorization: Bearer fku_...");
        assertThat(docs.get("paths").get("/api/v1/users/me/tokens").has("post")).isTrue();
        assertThat(docs.get("paths").get("/api/v1/users/me/tokens").get("post").toString()).doesNotContain("Idempotency-Key");
    }

    private ApiClient password(String user) {
        return ApiClient.withAuthorization(port, "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    private static String token(ApiClient owner, String name) {
        HttpResponse<byte[]> created = owner.postJson("/api/v1/users/me/tokens", "{\"name\":\"" + name + "\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        return ApiClient.json(created).get("token").stringValue();
    }

    private long audited(String action, String subjectLike) {
        return jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = :a AND subject LIKE :s")
                .param("a", action).param("s", subjectLike).query(Long.class).single();
    }
}
