package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.reset;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.audit.AuditTrail;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * A failure late in a write (the audit record is the last statement) leaves nothing half-written.
 * The audit trail is the real one, wrapped so a test can make it fail once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProvisioningRollbackIT {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @MockitoSpyBean
    AuditTrail audit;

    ApiClient api;

    @BeforeEach
    void client() {
        api = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @AfterEach
    void healAudit() {
        reset(audit);
    }

    @Test
    void failureAfterTheDeviceRowIsWrittenLeavesNoDevice() {
        doThrow(new IllegalStateException("injected failure: audit store down"))
                .when(audit).record(eq("device.provisioned"), anyString());
        long devicesBefore = count("devices");
        long credentialsBefore = count("device_credentials");

        HttpResponse<byte[]> failed = api.provision("00-11-22-FF-FE-00-30-01", "demo-sensor");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ApiClient.text(failed)).contains("reference").doesNotContain("injected").doesNotContain("Exception");
        assertThat(count("devices")).isEqualTo(devicesBefore);
        assertThat(count("device_credentials")).isEqualTo(credentialsBefore);
        assertThat(api.get("/api/v1/devices/00-11-22-FF-FE-00-30-01").statusCode()).isEqualTo(404);

        reset(audit);
        assertThat(api.provision("00-11-22-FF-FE-00-30-01", "demo-sensor").statusCode()).isEqualTo(201);
    }

    @Test
    void failedBundleIssueConsumesNoSequenceNumberAndRecordsNoBundle() {
        api.provision("00-11-22-FF-FE-00-30-02", "demo-sensor");
        doThrow(new IllegalStateException("injected failure")).when(audit).record(eq("bundle.issued"), anyString());

        HttpResponse<byte[]> failed = api.get("/api/v1/devices/00-11-22-FF-FE-00-30-02/bundle");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(count("bundles_issued")).isZero();
        reset(audit);
        HttpResponse<byte[]> next = api.get("/api/v1/devices/00-11-22-FF-FE-00-30-02/bundle");
        assertThat(next.headers().firstValue("Fleetkey-Bundle-Sequence")).hasValue("1");
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }
}
