package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.SecureSession;
import dev.fleetkey.runtime.SessionOptions;
import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.pki.PkiConfiguration;
import dev.fleetkey.service.pki.token.SoftHsmToken;
import dev.fleetkey.service.stations.StationFixtures;
import dev.fleetkey.service.system.ProvisioningLoad.AcknowledgedDevice;
import dev.fleetkey.service.system.ProvisioningLoad.Stations;
import java.io.ByteArrayInputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two service processes (the packaged jar) on one PostgreSQL, behind no load balancer: the test sends station
 * traffic to both. The instances hold the same keys in one SoftHSM2 token they share (DEPLOYMENT.md, "Keys"); the
 * second starts after the first has made every key the traffic needs, because an instance reads the token's list
 * of keys when it starts. Asserted: the same EUI-64s raced across both instances, singly (with and without
 * {@code Idempotency-Key}) and in batches, get exactly one identity each; a station's quota is one quota; a device
 * revoked through A is refused by B's coaps endpoint within 5 s (a real DTLS handshake); after one instance is
 * killed with {@code SIGKILL} mid-load no acknowledged device is lost and its batch is finished by the other; the
 * audit chain written by both is one chain, without forks.
 */
class TwoInstancesIT {

    private static final Duration REVOCATION_LIMIT = Duration.ofSeconds(5);
    private static final int RACED = 24;

    @Test
    void twoInstancesOnOneDatabaseGiveOneIdentityPerDeviceShareQuotasRevocationsAndTheAuditChainAndSurviveAKill()
            throws Exception {
        Optional<Path> bin = LocalPostgres.installedBinaries();
        if (System.getenv("FLEETKEY_REQUIRE_POSTGRES") != null) {
            assertThat(bin).as("PostgreSQL server binaries (Debian package postgresql)").isPresent();
        }
        assumeTrue(bin.isPresent(), "PostgreSQL is not installed (Debian package postgresql)");

        SoftHsmToken.requireSoftHsm();
        SoftHsmToken token = SoftHsmToken.create("fleetkey-multi");
        Path dataA = TestService.newDataDir();
        Path dataB = TestService.newDataDir();
        try (LocalPostgres pg = LocalPostgres.start(bin.get());
             ServiceProcess a = ServiceProcess.start(dataA, dataA.resolveSibling("a.log"), properties(pg),
                     environment(token))) {
            ApiClient adminA = a.admin();
            Stations stations = new Stations(station(adminA, "multi-psk", 100_000, "demo-sensor"),
                    station(adminA, "multi-rpk", 100_000, "demo-rpk"), station(adminA, "multi-x509", 100_000, "demo-x509"));
            makeEveryKeyTheTrafficNeeds(adminA);

            try (ServiceProcess b = ServiceProcess.start(dataB, dataB.resolveSibling("b.log"), properties(pg),
                    environment(token));
                 Connection db = DriverManager.getConnection(pg.jdbcUrl(), LocalPostgres.USER, "")) {
                assertThat(ApiClient.text(b.admin().get("/api/v1/trust/bundle-signer.pem")))
                        .as("both instances sign with one key").isEqualTo(ApiClient.text(adminA.get("/api/v1/trust/bundle-signer.pem")));
                assertThat(dataB.resolve(PkiConfiguration.KEYSTORE_FILE)).as("B's keys are the token's").doesNotExist();

                singlesRacedAcrossInstancesGetOneIdentity(a, b, stations.psk(), db);
                batchesRacedAcrossInstancesGetOneIdentity(a, b, stations.psk(), db);
                aStationsQuotaHoldsAcrossInstances(a, b);
                aDeviceRevokedThroughAIsRefusedByBsEndpoint(a, b);
                noAcknowledgedDeviceIsLostWhenAnInstanceIsKilled(a, b, stations, db);
                theAuditChainIsOneChain(a, db);
            }
        }
    }

    /**
     * DEPLOYMENT.md's instance configuration (keys in the token at slot list index 0: a SoftHSM2 token directory
     * lists its initialized token first), with this machine's database, module path and ports.
     */
    private static Map<String, String> properties(LocalPostgres pg) throws Exception {
        return Map.of("spring.config.additional-location", "file:" + DeploymentFilesTest.DEPLOY.resolve("fleetkey.yml"),
                "spring.datasource.url", pg.jdbcUrl(), "spring.datasource.username", LocalPostgres.USER,
                "fleetkey.keys.pkcs11.library", SoftHsmToken.MODULE.toString(),
                "fleetkey.device-endpoint.enabled", "true", "fleetkey.device-endpoint.port", String.valueOf(freeUdpPort()),
                "fleetkey.device-endpoint.bind-address", "127.0.0.1", "fleetkey.device-endpoint.host", "localhost");
    }

    /** One token for both processes: the same SoftHSM2 configuration and PIN. */
    private static Map<String, String> environment(SoftHsmToken token) {
        Map<String, String> environment = new java.util.HashMap<>(token.environment());
        environment.put("FLEETKEY_PKCS11_PIN", SoftHsmToken.PIN);
        return environment;
    }

    /** The server keys of the templates' servers are made on first need: once, here, before the keystore is copied. */
    private static void makeEveryKeyTheTrafficNeeds(ApiClient admin) {
        int n = 0;
        for (String template : List.of("demo-sensor", "demo-rpk", "demo-x509")) {
            String eui64 = String.format("02-AB-00-FF-FE-00-00-%02X", ++n);
            assertThat(admin.provision(eui64, template).statusCode()).isEqualTo(201);
            assertThat(admin.get("/api/v1/devices/" + eui64 + "/bundle").statusCode()).isEqualTo(200);
        }
    }

    private static void singlesRacedAcrossInstancesGetOneIdentity(ServiceProcess a, ServiceProcess b, String token,
            Connection db) throws Exception {
        List<Callable<HttpResponse<byte[]>>> requests = new ArrayList<>();
        for (int i = 0; i < RACED; i++) {
            String body = "{\"eui64\":\"" + eui64(1, i) + "\",\"template\":\"demo-sensor\"}";
            String key = i % 2 == 0 ? "race-" + i : null;
            for (ServiceProcess instance : List.of(a, b)) {
                ApiClient station = ApiClient.station(instance.port(), token);
                requests.add(() -> key == null ? station.send("POST", "/api/v1/devices", body, "Accept", ProvisioningLoad.BUNDLE)
                        : station.send("POST", "/api/v1/devices", body, "Accept", ProvisioningLoad.BUNDLE, "Idempotency-Key", key));
            }
        }
        List<HttpResponse<byte[]>> answers = all(requests);
        for (int i = 0; i < RACED; i++) {
            HttpResponse<byte[]> onA = answers.get(2 * i);
            HttpResponse<byte[]> onB = answers.get(2 * i + 1);
            String what = eui64(1, i) + (i % 2 == 0 ? " with" : " without") + " Idempotency-Key, A: " + shown(onA)
                    + ", B: " + shown(onB);
            List<Integer> codes = List.of(onA.statusCode(), onB.statusCode());
            assertThat(codes).as(what).allMatch(code -> code == 201 || code == 409).contains(201);
            if (i % 2 == 0 && codes.equals(List.of(201, 201))) {
                assertThat(onA.body()).as("a keyed retry on the other instance gets the stored answer: " + what)
                        .isEqualTo(onB.body());
            } else {
                assertThat(codes).as("one instance made the device, the other refused it: " + what).containsOnlyOnce(201);
            }
        }
        assertOneIdentityEach(db, 1, RACED);
    }

    private static void batchesRacedAcrossInstancesGetOneIdentity(ServiceProcess a, ServiceProcess b, String token,
            Connection db) throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < RACED; i++) {
            list.append(i == 0 ? "" : ",").append('"').append(eui64(2, i)).append('"');
        }
        String body = "{\"template\":\"demo-sensor\",\"eui64s\":[" + list + "]}";
        List<Callable<HttpResponse<byte[]>>> starts = new ArrayList<>();
        for (ServiceProcess instance : List.of(a, b)) {
            starts.add(() -> ApiClient.station(instance.port(), token).send("POST", "/api/v1/batches", body,
                    "Idempotency-Key", "raced-batch-" + instance.port()));
        }
        List<JsonNode> finished = new ArrayList<>();
        List<HttpResponse<byte[]>> accepted = all(starts);
        for (int n = 0; n < 2; n++) {
            assertThat(accepted.get(n).statusCode()).as(ApiClient.text(accepted.get(n))).isEqualTo(202);
            ServiceProcess instance = n == 0 ? a : b;
            finished.add(awaitFinished(ApiClient.station(instance.port(), token),
                    accepted.get(n).headers().firstValue("Location").orElseThrow(), Duration.ofSeconds(60)));
        }
        for (int i = 0; i < RACED; i++) {
            int provisioned = 0;
            for (JsonNode batch : finished) {
                provisioned += "provisioned".equals(batch.get("items").get(i).get("result").stringValue()) ? 1 : 0;
            }
            assertThat(provisioned).as("batches that provisioned %s", eui64(2, i)).isEqualTo(1);
        }
        assertOneIdentityEach(db, 2, RACED);
    }

    private static void aStationsQuotaHoldsAcrossInstances(ServiceProcess a, ServiceProcess b) throws Exception {
        String token = station(a.admin(), "quota-line", 10, "demo-sensor");
        List<Callable<HttpResponse<byte[]>>> requests = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            ServiceProcess instance = i % 2 == 0 ? a : b;
            requests.add(() -> ApiClient.station(instance.port(), token).get("/api/v1/devices/" + eui64(3, 0)));
        }
        Instant start = Instant.now();
        List<HttpResponse<byte[]>> answers = all(requests);
        long refills = Duration.between(start, Instant.now()).toSeconds() / 6; // 10 a minute: one every 6 s
        long allowed = answers.stream().filter(r -> r.statusCode() != 429).count();
        assertThat(allowed).as("requests allowed of a quota of 10 a minute, sent to both instances").isBetween(10L, 10 + refills);
        answers.stream().filter(r -> r.statusCode() == 429).forEach(r -> assertThat(r.headers().firstValue("Retry-After"))
                .hasValueSatisfying(seconds -> assertThat(Integer.parseInt(seconds)).isPositive()));
    }

    private static void aDeviceRevokedThroughAIsRefusedByBsEndpoint(ServiceProcess a, ServiceProcess b) throws Exception {
        String eui64 = "02-AB-00-FF-FE-00-01-01";
        ApiClient adminA = a.admin();
        assertThat(adminA.provision(eui64, "demo-sensor").statusCode()).isEqualTo(201);
        BundlePayload bundle = bundle(adminA, eui64);
        try (SecureSession session = open(bundle, b)) {
            assertThat(session.get("/hello").text()).as("B's endpoint knows a device made through A").isEqualTo(eui64);
        }

        assertThat(adminA.postJson("/api/v1/devices/" + eui64 + "/revoke", "{\"reason\":\"stolen\"}").statusCode()).isEqualTo(200);
        Instant revoked = Instant.now();
        Exception refusal = null;
        while (refusal == null && Duration.between(revoked, Instant.now()).compareTo(REVOCATION_LIMIT) < 0) {
            try (SecureSession session = open(bundle, b)) {
                session.get("/hello");
                Thread.sleep(200);
            } catch (Exception e) {
                refusal = e;
            }
        }
        assertThat(refusal).as("B's endpoint refused the device revoked through A within %s", REVOCATION_LIMIT).isNotNull();
        assertThat(refusal).isInstanceOfSatisfying(AlertReceivedException.class,
                e -> assertThat(e.alert()).isEqualTo("decrypt_error"));
    }

    private static void noAcknowledgedDeviceIsLostWhenAnInstanceIsKilled(ServiceProcess a, ServiceProcess b,
            Stations stations, Connection db) throws Exception {
        ProvisioningLoad onA = new ProvisioningLoad();
        ProvisioningLoad onB = new ProvisioningLoad();
        onA.start(a.port(), stations, 5);
        onB.start(b.port(), stations, 6);
        Instant deadline = Instant.now().plusSeconds(90);
        while ((onA.acknowledged() < 150 || onB.acknowledged() < 150) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(onB.acknowledged()).as("acknowledged by B before the kill (unexpected: %s)", onB.unexpected)
                .isGreaterThanOrEqualTo(150);
        b.killHard();
        onB.stop();
        onA.stop();

        List<String> lost = new ArrayList<>();
        for (ProvisioningLoad load : List.of(onA, onB)) {
            for (AcknowledgedDevice device : load.devices) {
                HttpResponse<byte[]> bundle = ApiClient.station(a.port(), device.token())
                        .get("/api/v1/devices/" + device.eui64() + "/bundle");
                if (bundle.statusCode() != 200
                        || !ProvisioningLoad.BundleFacts.of(bundle.body()).credential().equals(device.facts())) {
                    lost.add(device.eui64() + ": " + bundle.statusCode());
                }
            }
        }
        System.out.printf("acknowledged by A %d, by B %d before B was killed%n", onA.acknowledged(), onB.acknowledged());
        assertThat(lost).as("devices acknowledged by A or B, not there (or changed) after B was killed").isEmpty();
        assertThat(onA.unexpected).as("answers of A that were neither an acknowledgement nor a 5xx").isEmpty();

        // B's batch was running under B's claim: A takes it over once the claim runs out, and keeps what B reported
        ApiClient station = ApiClient.station(a.port(), stations.psk());
        for (ProvisioningLoad.AcknowledgedBatch batch : onB.batches) {
            JsonNode done = awaitFinished(station, batch.location(), Duration.ofSeconds(90));
            for (ProvisioningLoad.AcknowledgedItem item : onB.items.values()) {
                JsonNode now = done.get("items").get(item.index());
                assertThat(now.get("result").stringValue()).as("item %s reported provisioned by B", item.index())
                        .isEqualTo("provisioned");
                assertThat(now.get("bundleSha256").stringValue()).isEqualTo(item.bundleSha256());
            }
        }
        for (ProvisioningLoad.AcknowledgedBatch batch : onA.batches) {
            awaitFinished(station, batch.location(), Duration.ofSeconds(120)); // A's own, still running after the load
        }
        try (Statement statement = db.createStatement();
             ResultSet running = statement.executeQuery("SELECT COUNT(*) FROM batches WHERE state = 'RUNNING'")) {
            running.next();
            assertThat(running.getLong(1)).as("batches still running").isZero();
        }
    }

    private static void theAuditChainIsOneChain(ServiceProcess a, Connection db) throws Exception {
        JsonNode verified = ApiClient.json(a.admin().get("/api/v1/audit/verify"));
        assertThat(verified.get("intact").booleanValue()).as("audit chain: %s", verified).isTrue();
        try (Statement statement = db.createStatement();
             ResultSet chain = statement.executeQuery("""
                     SELECT COUNT(*), COUNT(DISTINCT chain_seq), MIN(chain_seq), MAX(chain_seq), COUNT(DISTINCT prev_hash),
                         (SELECT last_seq FROM audit_chain_head WHERE id = 1)
                     FROM audit_events""")) {
            chain.next();
            long entries = chain.getLong(1);
            assertThat(entries).as("audit entries written by both instances").isGreaterThan(1000);
            assertThat(chain.getLong(2)).as("distinct positions").isEqualTo(entries);
            assertThat(chain.getLong(3)).isEqualTo(1);
            assertThat(chain.getLong(4)).as("highest position").isEqualTo(entries);
            assertThat(chain.getLong(5)).as("entries linking to distinct predecessors (two on one would be a fork)")
                    .isEqualTo(entries);
            assertThat(chain.getLong(6)).as("the chain head").isEqualTo(entries);
        }
    }

    /** Every device of the raced EUI-64s exists once with one credential and its own PSK identity. */
    private static void assertOneIdentityEach(Connection db, int group, int count) throws Exception {
        try (Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT COUNT(DISTINCT d.id), COUNT(c.id), COUNT(DISTINCT c.psk_identity)
                     FROM devices d JOIN device_credentials c ON c.device_id = d.id
                     WHERE d.eui64 LIKE '""" + eui64(group, 0).substring(0, 12) + "%'")) {
            rows.next();
            assertThat(rows.getLong(1)).as("devices of group %s", group).isEqualTo(count);
            assertThat(rows.getLong(2)).as("credentials of those devices").isEqualTo(count);
            assertThat(rows.getLong(3)).as("distinct PSK identities of those devices").isEqualTo(count);
        }
    }

    private static JsonNode awaitFinished(ApiClient station, String location, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        JsonNode status = ApiClient.json(station.get(location));
        while (!"finished".equalsIgnoreCase(status.get("state").stringValue()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(250);
            status = ApiClient.json(station.get(location));
        }
        assertThat(status.get("state").stringValue()).as("batch %s within %s", location, limit).isEqualToIgnoringCase("finished");
        return status;
    }

    /** A status, with the problem details of a refusal (a 201 carries a binary bundle). */
    private static String shown(HttpResponse<byte[]> answer) {
        return answer.statusCode() == 201 ? "201" : answer.statusCode() + " " + ApiClient.text(answer);
    }

    private static <T> List<T> all(List<Callable<T>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> future : pool.invokeAll(calls)) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String station(ApiClient admin, String name, int quota, String template) {
        return StationFixtures.createStation(admin, name, quota, template).token();
    }

    private static SecureSession open(BundlePayload bundle, ServiceProcess instance) throws Exception {
        return SecureSession.open(bundle, "fleetkey", Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                instance.devicePort())), SessionOptions.defaults());
    }

    private static BundlePayload bundle(ApiClient admin, String eui64) throws Exception {
        X509Certificate signer = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(admin.get("/api/v1/trust/bundle-signer.pem").body()));
        return BundleVerifier.builder().trustAnchor(signer).build()
                .verify(admin.get("/api/v1/devices/" + eui64 + "/bundle").body(), VerificationContext.forDevice(Eui64.parse(eui64), -1))
                .payload();
    }

    private static String eui64(int group, int i) {
        return String.format("02-AB-%02X-FF-FE-00-10-%02X", group, i);
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
