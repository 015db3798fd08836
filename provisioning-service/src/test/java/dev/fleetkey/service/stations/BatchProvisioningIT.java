package dev.fleetkey.service.stations;

import dev.fleetkey.service.ExternalCommand;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.pki.Openssl;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A batch of 1,000 over real HTTP: per-item results, progress, and a manifest that openssl verifies. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchProvisioningIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BatchRepository batchRepository;

    @TempDir
    Path work;

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    private void claimFor(long id, String worker, Instant until) {
        jdbc.sql("UPDATE batches SET worker = :worker, lease_until = :until WHERE id = :id")
                .param("worker", worker).param("until", until.atOffset(java.time.ZoneOffset.UTC)).param("id", id).update();
    }

    @Test
    void batchOfAThousandWithBadEuisFailsOnlyThoseAndEndsWithAVerifiableManifest() throws Exception {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "batch-line", 10_000, "demo-sensor").token());
        ApiClient other = ApiClient.station(port, StationFixtures.createStation(admin, "other-line", 10_000, "demo-sensor").token());
        assertThat(other.provision("00-11-22-FF-FE-02-10-00", "demo-sensor").statusCode()).isEqualTo(201);
        List<String> eui64s = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            eui64s.add(String.format("00-11-22-FF-FE-02-%02X-%02X", i / 256, i % 256));
        }
        Map<Integer, String> bad = Map.of(3, "not-an-eui", 10, "00-11-22", 20, "", 30, eui64s.get(0), 40, "00-11-22-FF-FE-02-10-00");
        bad.forEach(eui64s::set);
        String body = JSON.writeValueAsString(Map.of("template", "demo-sensor", "eui64s", eui64s));

        HttpResponse<byte[]> accepted = station.send("POST", "/api/v1/batches", body, "Idempotency-Key", "batch-1");
        HttpResponse<byte[]> retried = station.send("POST", "/api/v1/batches", body, "Idempotency-Key", "batch-1");

        assertThat(accepted.statusCode()).as(ApiClient.text(accepted)).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(retried.statusCode()).isEqualTo(202);
        assertThat(retried.body()).isEqualTo(accepted.body());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM batches").query(Long.class).single()).isEqualTo(1);
        assertThat(other.get(location).statusCode()).isEqualTo(404);

        JsonNode done = awaitFinished(station, location);
        assertThat(done.get("total").intValue()).isEqualTo(1000);
        assertThat(done.get("done").intValue()).isEqualTo(1000);
        assertThat(done.get("failed").intValue()).isEqualTo(bad.size());
        assertThat(done.get("succeeded").intValue()).isEqualTo(1000 - bad.size());
        JsonNode items = done.get("items");
        for (int index : bad.keySet()) {
            assertThat(items.get(index).get("result").stringValue()).isEqualTo("failed");
            assertThat(items.get(index).get("reason").stringValue()).isNotBlank();
        }
        assertThat(items.get(3).get("reason").stringValue()).containsIgnoringCase("EUI-64");
        assertThat(items.get(30).get("reason").stringValue()).contains("already provisioned");
        assertThat(items.get(40).get("reason").stringValue()).contains("another station");

        Path manifest = Files.write(work.resolve("manifest.der"), station.get(location + "/manifest").body());
        Path signer = Files.write(work.resolve("signer.pem"), admin.get("/api/v1/trust/bundle-signer.pem").body());
        Path content = work.resolve("manifest.json");
        ExternalCommand.Result verified = Openssl.run(work, "cms", "-verify", "-inform", "DER", "-binary", "-CAfile", signer.toString(),
                "-in", manifest.toString(), "-out", content.toString());
        assertThat(verified.exitCode()).as(verified.output()).isZero();

        JsonNode listed = JSON.readTree(Files.readAllBytes(content));
        assertThat(listed.get("format").stringValue()).isEqualTo("fleetkey-batch-manifest-1");
        assertThat(listed.get("devices").size()).isEqualTo(1000);
        BundleVerifier verifier = BundleVerifier.builder().trustAnchor(certificate(Files.readAllBytes(signer))).build();
        for (int index : List.of(0, 1, 500, 999)) {
            JsonNode entry = listed.get("devices").get(index);
            assertThat(entry.get("result").stringValue()).isEqualTo("provisioned");
            byte[] bundle = station.get(location + "/items/" + index + "/bundle").body();
            assertThat(entry.get("bundleSha256").stringValue())
                    .isEqualTo(Sha256.hex(bundle));
            Eui64 eui64 = Eui64.parse(entry.get("eui64").stringValue());
            assertThat(verifier.verify(bundle, VerificationContext.forDevice(eui64, -1)).payload().device()).isEqualTo(eui64);
        }
        assertThat(listed.get("devices").get(10).get("result").stringValue()).isEqualTo("failed");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM station_devices s JOIN stations t ON t.id = s.station_id"
                + " WHERE t.name = 'batch-line'").query(Long.class).single()).isEqualTo(1000 - bad.size());
    }

    @Test
    void aBatchClaimedByALiveInstanceIsLeftToItAndTakenOverOnceItsClaimRunsOut() throws Exception {
        List<String> eui64s = List.of("00-11-22-FF-FE-02-20-01", "00-11-22-FF-FE-02-20-02", "00-11-22-FF-FE-02-20-03");
        long id = batchRepository.insert(null, "user:admin", "demo-sensor", eui64s, Instant.now());
        claimFor(id, "instance-b", Instant.now().plus(Duration.ofHours(1)));

        Thread.sleep(Batches.SWEEP.multipliedBy(2).plusMillis(500).toMillis());
        assertThat(batchRepository.pendingItems(id)).as("items of a batch another live instance holds").hasSize(3);

        claimFor(id, "instance-b", Instant.now().minusSeconds(1));
        Instant deadline = Instant.now().plus(Batches.SWEEP.multipliedBy(5));
        while (!"FINISHED".equals(batchRepository.find(id).orElseThrow().state()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        BatchRepository.Batch batch = batchRepository.find(id).orElseThrow();
        assertThat(batch.state()).as("a batch whose instance died, without a restart here").isEqualTo("FINISHED");
        assertThat(batch.succeeded()).isEqualTo(3);
        assertThat(batchRepository.manifest(id)).isPresent();
    }

    @Test
    void batchWithoutTemplateOrDevicesIsRefusedNamingTheField() {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "empty-line", 600, "demo-sensor").token());

        HttpResponse<byte[]> noDevices = station.postJson("/api/v1/batches", "{\"template\":\"demo-sensor\",\"eui64s\":[]}");
        HttpResponse<byte[]> noTemplate = station.postJson("/api/v1/batches", "{\"eui64s\":[\"00-11-22-FF-FE-02-10-01\"]}");

        assertThat(noDevices.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(noDevices).get("field").stringValue()).isEqualTo("eui64s");
        assertThat(noTemplate.statusCode()).isEqualTo(400);
        assertThat(ApiClient.json(noTemplate).get("field").stringValue()).isEqualTo("template");
    }

    private static JsonNode awaitFinished(ApiClient station, String location) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            JsonNode status = ApiClient.json(station.get(location));
            assertThat(status.get("done").intValue()).isBetween(0, 1000);
            if ("FINISHED".equals(status.get("state").stringValue())) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("batch did not finish within 3 minutes");
    }

    private static X509Certificate certificate(byte[] pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }
}
