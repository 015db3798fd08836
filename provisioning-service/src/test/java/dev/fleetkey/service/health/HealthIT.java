package dev.fleetkey.service.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.endpoint.DeviceEndpointLifecycle;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /actuator/health} over real HTTP with the coaps endpoint on: status for anyone, details for ADMIN,
 * readiness that waits for the UDP port, and nothing else of Actuator without a login.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HealthIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.registerWithDeviceEndpoint(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DeviceEndpointLifecycle endpoint;

    @Autowired
    StartupProbe startup;

    /**
     * Asks for readiness over HTTP after Tomcat has started and before the coaps endpoint binds its port (the
     * lifecycle phase just below the endpoint's), which is the window a load balancer used to see as ready.
     */
    static class StartupProbe implements SmartLifecycle {

        private final ApplicationContext context;
        final List<HttpResponse<byte[]>> seen = new ArrayList<>();
        private boolean running;

        StartupProbe(ApplicationContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            seen.add(ApiClient.anonymous(port).get("/actuator/health/readiness"));
            seen.add(ApiClient.admin(port, TestService.ADMIN_PASSWORD).get("/actuator/health/readiness"));
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 1;
        }
    }

    @TestConfiguration
    static class Probes {
        @Bean
        StartupProbe startupProbe(ApplicationContext context) {
            return new StartupProbe(context);
        }
    }

    @Test
    void readinessIsOutOfServiceWhileTheCoapsPortIsNotYetBound() {
        HttpResponse<byte[]> anonymous = startup.seen.get(0);
        HttpResponse<byte[]> admin = startup.seen.get(1);

        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(ApiClient.json(anonymous).get("status").stringValue()).isEqualTo("OUT_OF_SERVICE");
        JsonNode coaps = ApiClient.json(admin).get("components").get("deviceEndpoint");
        assertThat(coaps.get("status").stringValue()).isEqualTo("OUT_OF_SERVICE");
        assertThat(coaps.get("details").get("listening").booleanValue()).isFalse();
    }

    @Test
    void anyoneSeesTheStatusAndOnlyAnAdministratorTheDetails() {
        HttpResponse<byte[]> anonymous = ApiClient.anonymous(port).get("/actuator/health");
        HttpResponse<byte[]> admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD).get("/actuator/health");

        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(anonymous).get("status").stringValue()).isEqualTo("UP");
        assertThat(ApiClient.json(anonymous).has("components")).isFalse();
        assertThat(admin.statusCode()).isEqualTo(200);
        JsonNode components = ApiClient.json(admin).get("components");
        assertThat(components.get("db").get("status").stringValue()).isEqualTo("UP");
        assertThat(components.get("keys").get("status").stringValue()).isEqualTo("UP");
        assertThat(components.get("keys").get("details").get("provider").stringValue()).isEqualTo("pkcs12");
        assertThat(components.get("deviceEndpoint").get("details").get("address").stringValue())
                .isEqualTo("coaps://127.0.0.1:" + endpoint.boundAddress().getPort());
    }

    @Test
    void readinessChecksTheCoapsEndpointTheDatabaseAndTheKeyStoreAndLivenessAnswers() {
        HttpResponse<byte[]> readiness = ApiClient.admin(port, TestService.ADMIN_PASSWORD).get("/actuator/health/readiness");
        HttpResponse<byte[]> liveness = ApiClient.anonymous(port).get("/actuator/health/liveness");

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(readiness).get("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "db", "keys", "deviceEndpoint");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(ApiClient.json(liveness).get("status").stringValue()).isEqualTo("UP");
    }

    @Test
    void readinessFollowsTheCoapsEndpointWhenItStopsAndStartsAgain() {
        try {
            endpoint.stop();
            HttpResponse<byte[]> stopped = ApiClient.anonymous(port).get("/actuator/health/readiness");
            assertThat(stopped.statusCode()).isEqualTo(503);
            assertThat(ApiClient.json(stopped).get("status").stringValue()).isEqualTo("OUT_OF_SERVICE");
            assertThat(ApiClient.anonymous(port).get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        } finally {
            endpoint.start();
        }
        assertThat(ApiClient.anonymous(port).get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void nothingElseOfActuatorAnswersWithoutALoginAndNothingElseIsExposed() {
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/metrics", "/actuator/beans",
                "/actuator/heapdump", "/actuator/shutdown")) {
            HttpResponse<byte[]> anonymous = ApiClient.anonymous(port).get(path);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        for (String path : List.of("/actuator/env", "/actuator/metrics", "/actuator/beans", "/actuator/heapdump")) {
            HttpResponse<byte[]> admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD).get(path);
            assertThat(admin.statusCode()).as(path).isEqualTo(404);
            assertThat(admin.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
    }
}
