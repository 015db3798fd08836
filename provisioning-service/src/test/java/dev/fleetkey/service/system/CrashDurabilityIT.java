package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.stations.StationFixtures;
import dev.fleetkey.service.system.ProvisioningLoad.AcknowledgedBatch;
import dev.fleetkey.service.system.ProvisioningLoad.AcknowledgedDevice;
import dev.fleetkey.service.system.ProvisioningLoad.AcknowledgedItem;
import dev.fleetkey.service.system.ProvisioningLoad.BundleFacts;
import dev.fleetkey.service.system.ProvisioningLoad.Stations;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a station was told is what the service has, even when the process dies: the packaged service runs
 * as its own process under concurrent provisioning (single requests in three modes, with and without
 * {@code Idempotency-Key}, a batch, bundle downloads), is killed with {@code SIGKILL} mid-load twice (once
 * after a number of acknowledgements, once after a random delay), and is started again on the same data
 * directory each time. Every device answered 201 must be there with the same credential, every batch item
 * reported provisioned too, a keyed retry must get the stored answer, bundle sequences must continue above
 * the last one handed out, and the audit chain must be whole.
 */
class CrashDurabilityIT {

    private static final int FIRST_KILL_AFTER = 250;
    private static final int SECOND_ROUND_AT_LEAST = 100;

    @Test
    void everyAcknowledgedDeviceSurvivesTwoKillsMidLoadWithItsCredentialAndTheAuditChainIntact() throws Exception {
        Path dataDir = TestService.newDataDir();
        Path log = dataDir.resolveSibling("service.log");
        ProvisioningLoad load = new ProvisioningLoad();
        Stations stations;

        try (ServiceProcess service = ServiceProcess.start(dataDir, log)) {
            ApiClient admin = service.admin();
            stations = new Stations(station(admin, "crash-psk", "demo-sensor"), station(admin, "crash-rpk", "demo-rpk"),
                    station(admin, "crash-x509", "demo-x509"));
            load.start(service.port(), stations, 1);
            awaitAcknowledged(load, FIRST_KILL_AFTER);
            service.killHard();
            load.stop();
        }
        int firstRound = load.acknowledged();

        try (ServiceProcess service = ServiceProcess.start(dataDir, log)) {
            assertEverythingAcknowledgedIsThere(service, load, stations, "after a kill at " + firstRound + " acknowledgements");
            load.start(service.port(), stations, 2);
            awaitAcknowledged(load, firstRound + SECOND_ROUND_AT_LEAST);
            long delay = ThreadLocalRandom.current().nextLong(200, 2000);
            Thread.sleep(delay);
            service.killHard();
            load.stop();
        }

        try (ServiceProcess service = ServiceProcess.start(dataDir, log)) {
            assertEverythingAcknowledgedIsThere(service, load, stations, "after a kill " + SECOND_ROUND_AT_LEAST
                    + " acknowledgements plus a random delay into the next round");
            assertKeyedRetriesGetTheStoredAnswer(service, load);
            JsonNode audit = ApiClient.json(service.admin().get("/api/v1/audit/verify"));
            assertThat(audit.get("intact").booleanValue()).as("audit chain after two kills: %s", audit).isTrue();
        }
        System.out.printf("%d requests answered 5xx (acknowledging nothing): %s%n", load.serverErrors.size(), load.serverErrors);
        assertThat(load.unexpected).as("answers that were neither an acknowledgement nor a cut connection nor a 5xx").isEmpty();
    }

    private static String station(ApiClient admin, String name, String template) {
        return StationFixtures.createStation(admin, name, 100_000, template).token();
    }

    private static void awaitAcknowledged(ProvisioningLoad load, int count) throws InterruptedException {
        long start = System.nanoTime();
        while (load.acknowledged() < count) {
            assertThat(ProvisioningLoad.since(start)).as("time to reach %d acknowledgements (%s so far; unexpected: %s)",
                    count, load.acknowledged(), load.unexpected).isLessThan(Duration.ofSeconds(90));
            Thread.sleep(20);
        }
    }

    /**
     * Every acknowledged device is there with the credential it was given (a new bundle for it carries the same
     * one) and gets a bundle sequence above every one handed out before; every reported batch item is still
     * provisioned with the same bundle.
     */
    private static void assertEverythingAcknowledgedIsThere(ServiceProcess service, ProvisioningLoad load, Stations stations,
            String when) {
        Map<String, int[]> perWorker = new TreeMap<>();
        List<String> lost = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> reused = new ArrayList<>();
        Map<String, ApiClient> clients = new HashMap<>();
        for (AcknowledgedDevice device : load.devices) {
            int[] counts = perWorker.computeIfAbsent(device.worker().name(), k -> new int[2]);
            counts[0]++;
            HttpResponse<byte[]> bundle = get(clients.computeIfAbsent(device.token(), t -> ApiClient.station(service.port(), t)),
                    "/api/v1/devices/" + device.eui64() + "/bundle");
            if (bundle.statusCode() == 404) {
                counts[1]++;
                lost.add(device.worker().name() + " " + device.eui64());
                continue;
            }
            assertThat(bundle.statusCode()).as("bundle of %s %s: %s", device.eui64(), when, ApiClient.text(bundle))
                    .isEqualTo(200);
            BundleFacts now = BundleFacts.of(bundle.body());
            if (!now.credential().equals(device.facts())) {
                changed.add(device.eui64() + ": acknowledged with " + device.facts() + ", now " + now.credential());
            }
            long handedOut = load.bundleSequences.get(device.eui64());
            if (now.sequence() <= handedOut) {
                reused.add(device.eui64() + ": " + handedOut + " handed out before, now " + now.sequence());
            }
            load.handedOut(device.eui64(), now.sequence());
        }
        int[] itemCounts = perWorker.computeIfAbsent("batch items", k -> new int[2]);
        ApiClient batchStation = ApiClient.station(service.port(), stations.psk());
        Map<String, JsonNode> items = new HashMap<>();
        for (AcknowledgedBatch batch : load.batches) {
            HttpResponse<byte[]> status = get(batchStation, batch.location());
            assertThat(status.statusCode()).as("acknowledged batch %s %s", batch.location(), when).isEqualTo(200);
            JsonNode body = ApiClient.json(status);
            assertThat(body.get("total").intValue()).as("items of batch %s", batch.location()).isEqualTo(batch.total());
            body.get("items").forEach(item -> items.put(batch.location() + "#" + item.get("index").intValue(), item));
        }
        for (Map.Entry<String, AcknowledgedItem> reported : load.items.entrySet()) {
            itemCounts[0]++;
            JsonNode item = items.get(reported.getKey());
            boolean same = item != null && "provisioned".equals(item.get("result").stringValue())
                    && reported.getValue().bundleSha256().equals(item.get("bundleSha256").stringValue());
            if (!same || get(batchStation, "/api/v1/devices/" + reported.getValue().eui64()).statusCode() != 200) {
                itemCounts[1]++;
                lost.add("batch item " + reported.getKey() + " " + reported.getValue().eui64() + ", now " + item);
            }
        }
        String summary = perWorker.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()[1] + " of " + e.getValue()[0]).collect(Collectors.joining(", "));
        System.out.printf("%s: %d of %d acknowledged gone (%s)%n", when, lost.size(), load.acknowledged(), summary);
        assertThat(lost).as("acknowledged, then gone %s (gone per worker: %s)", when, summary).isEmpty();
        assertThat(changed).as("acknowledged with one credential, now another, %s", when).isEmpty();
        assertThat(reused).as("bundle sequences handed out again %s (a device reads that as a rollback)", when).isEmpty();
    }

    /** A GET, repeated after a 5xx (which acknowledges nothing; see {@link ProvisioningLoad#serverErrors}). */
    private static HttpResponse<byte[]> get(ApiClient client, String path) {
        HttpResponse<byte[]> answer = client.get(path);
        for (int attempt = 0; attempt < 2 && answer.statusCode() >= 500; attempt++) {
            answer = client.get(path);
        }
        return answer;
    }

    /** A retry with the same Idempotency-Key after the crash answers exactly what was answered before it. */
    private static void assertKeyedRetriesGetTheStoredAnswer(ServiceProcess service, ProvisioningLoad load) {
        List<AcknowledgedDevice> keyed = load.devices.stream().filter(d -> d.idempotencyKey() != null).toList();
        List<AcknowledgedDevice> last = keyed.subList(Math.max(0, keyed.size() - 40), keyed.size());
        assertThat(last).as("keyed acknowledgements to retry").isNotEmpty();
        Map<String, ApiClient> clients = new HashMap<>();
        for (AcknowledgedDevice device : last) {
            HttpResponse<byte[]> retried = clients.computeIfAbsent(device.token(), t -> ApiClient.station(service.port(), t)).send("POST", "/api/v1/devices",
                    "{\"eui64\":\"" + device.eui64() + "\",\"template\":\"" + device.worker().template() + "\"}",
                    "Accept", ProvisioningLoad.BUNDLE, "Idempotency-Key", device.idempotencyKey());
            assertThat(retried.statusCode()).as("retry of %s", device.eui64()).isEqualTo(201);
            assertThat(retried.body()).as("retry of %s", device.eui64()).isEqualTo(device.answer());
        }
    }
}
