package dev.fleetkey.service.system;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.ApiClient;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Concurrent manufacturing traffic against a running service, as a factory floor makes it: stations
 * provisioning one device per request with the bundle in the answer (PSK with and without
 * {@code Idempotency-Key}, RPK, X.509), a batch, and bundle downloads for devices already made. It records
 * only what the service acknowledged (a whole 201/200/202 answer, a batch item reported provisioned) with
 * the facts the answer showed, so that after a crash the test can ask for exactly those back. A request
 * cut off by the crash acknowledged nothing.
 */
final class ProvisioningLoad {

    static final String BUNDLE = "application/vnd.fleetkey.bundle+cms";
    static final int BATCH_SIZE = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The station tokens the load runs as, one per credential mode; made once, they must survive every crash. */
    record Stations(String psk, String rpk, String x509) {
    }

    /** Who made the device: the worker's name, its template, whether it sent an {@code Idempotency-Key}. */
    record Worker(String name, String template, boolean keyed) {
    }

    /**
     * What a device bundle says about the device's credential: the PSK identity, or the SHA-256 of the RPK
     * public key or of the client certificate. A device keeps it across any crash.
     */
    record CredentialFacts(String mode, String credential) {
    }

    /** A device bundle as handed out: its sequence number and the credential it carries. */
    record BundleFacts(long sequence, CredentialFacts credential) {
        static BundleFacts of(byte[] signed) {
            try {
                BundlePayload payload = BundleVerifier.readUnverified(signed);
                ServerCredentials c = payload.servers().get(0).credentials();
                HexFormat hex = HexFormat.of();
                String credential;
                if (c instanceof ServerCredentials.Psk psk) {
                    credential = hex.formatHex(psk.identity());
                } else if (c instanceof ServerCredentials.RawPublicKey rpk) {
                    credential = Sha256.hex(rpk.clientPublicKey());
                } else {
                    credential = Sha256.hex(((ServerCredentials.Certificates) c).clientChain().get(0));
                }
                return new BundleFacts(payload.sequence(), new CredentialFacts(c.mode().name(), credential));
            } catch (BundleException e) {
                throw new AssertionError("the service handed out a bundle that does not decode: " + e.getMessage(), e);
            }
        }
    }

    /** A 201 for one device; {@code answer} is the bundle it carried, for comparing an idempotent retry. */
    record AcknowledgedDevice(Worker worker, String token, String eui64, String idempotencyKey, byte[] answer,
            CredentialFacts facts) {
    }

    /** A 202 for a batch: it is stored with all its items, pending or not. */
    record AcknowledgedBatch(String location, int total) {
    }

    /** A batch item the batch's status reported provisioned. */
    record AcknowledgedItem(String location, int index, String eui64, String bundleSha256) {
    }

    final Queue<AcknowledgedDevice> devices = new ConcurrentLinkedQueue<>();
    final Queue<AcknowledgedBatch> batches = new ConcurrentLinkedQueue<>();
    final Map<String, AcknowledgedItem> items = new ConcurrentHashMap<>();
    /** The highest bundle sequence handed out per device (EUI-64). */
    final Map<String, Long> bundleSequences = new ConcurrentHashMap<>();
    /** Answers that were neither an acknowledgement nor a cut connection nor a 5xx: a failure of their own. */
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    /**
     * 5xx answers: they acknowledge nothing, so they do not count against durability. Under heavy load H2
     * 2.4.240 now and then fails a statement with "MVStoreException: Position 0" (a race fixed after that
     * release, h2database/h2database#4374), with its default WRITE_DELAY as with 0.
     */
    final Queue<String> serverErrors = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean stopped = new AtomicBoolean();
    private ExecutorService threads;

    int acknowledged() {
        return devices.size() + items.size();
    }

    /** Starts every worker against the service on {@code port}; {@code round} keeps this round's EUI-64s apart. */
    void start(int port, Stations stations, int round) {
        stopped.set(false);
        threads = Executors.newFixedThreadPool(6);
        List<Worker> workers = List.of(new Worker("psk-keyed", "demo-sensor", true),
                new Worker("psk", "demo-sensor", false), new Worker("rpk-keyed", "demo-rpk", true),
                new Worker("x509", "demo-x509", false));
        for (int w = 0; w < workers.size(); w++) {
            Worker worker = workers.get(w);
            String token = switch (worker.template()) {
                case "demo-rpk" -> stations.rpk();
                case "demo-x509" -> stations.x509();
                default -> stations.psk();
            };
            int prefix = round * 16 + w;
            threads.submit(() -> untilCut(() -> singles(ApiClient.station(port, token), token, worker, prefix)));
        }
        int batchPrefix = round * 16 + 15;
        threads.submit(() -> untilCut(() -> batch(ApiClient.station(port, stations.psk()), batchPrefix, round)));
        threads.submit(() -> untilCut(() -> bundles(port)));
    }

    /** Stops the workers (after a kill they have mostly stopped on their own) and waits for them. */
    void stop() throws InterruptedException {
        stopped.set(true);
        threads.shutdownNow();
        if (!threads.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the load's workers did not stop");
        }
    }

    /** Records a bundle sequence the service handed out for {@code eui64}. */
    void handedOut(String eui64, long sequence) {
        bundleSequences.merge(eui64, sequence, Math::max);
    }

    /** One request per device, taking the bundle in the answer as a line that flashes it does. */
    private void singles(ApiClient station, String token, Worker worker, int prefix) {
        for (int i = 0; !stopped.get(); i++) {
            String eui64 = eui64(prefix, i);
            String body = "{\"eui64\":\"" + eui64 + "\",\"template\":\"" + worker.template() + "\"}";
            String key = worker.keyed() ? "crash-" + eui64 : null;
            HttpResponse<byte[]> answer = key == null ? station.send("POST", "/api/v1/devices", body, "Accept", BUNDLE)
                    : station.send("POST", "/api/v1/devices", body, "Accept", BUNDLE, "Idempotency-Key", key);
            if (answer.statusCode() != 201) {
                refused(worker.name() + " " + eui64, answer);
                continue;
            }
            BundleFacts bundle = BundleFacts.of(answer.body());
            devices.add(new AcknowledgedDevice(worker, token, eui64, key, answer.body(), bundle.credential()));
            handedOut(eui64, bundle.sequence());
        }
    }

    private void batch(ApiClient station, int prefix, int round) throws InterruptedException {
        List<String> eui64s = new ArrayList<>();
        for (int i = 0; i < BATCH_SIZE; i++) {
            eui64s.add(eui64(prefix, i));
        }
        String body = JSON.writeValueAsString(Map.of("template", "demo-sensor", "eui64s", eui64s));
        HttpResponse<byte[]> accepted = station.send("POST", "/api/v1/batches", body, "Idempotency-Key", "crash-batch-" + round);
        if (accepted.statusCode() != 202) {
            refused("batch", accepted);
            return;
        }
        String location = accepted.headers().firstValue("Location").orElseThrow();
        batches.add(new AcknowledgedBatch(location, BATCH_SIZE));
        while (!stopped.get()) {
            JsonNode status = ApiClient.json(station.get(location));
            for (JsonNode item : status.get("items")) {
                if ("provisioned".equals(item.get("result").stringValue())) {
                    int index = item.get("index").intValue();
                    items.putIfAbsent(location + "#" + index, new AcknowledgedItem(location, index,
                            item.get("eui64").stringValue(), item.get("bundleSha256").stringValue()));
                }
            }
            Thread.sleep(150);
        }
    }

    /** Downloads new bundles for devices already acknowledged, keeping the highest sequence each was given. */
    private void bundles(int port) throws InterruptedException {
        Map<String, ApiClient> clients = new ConcurrentHashMap<>();
        while (!stopped.get()) {
            List<AcknowledgedDevice> made = List.copyOf(devices);
            if (made.isEmpty()) {
                Thread.sleep(50);
                continue;
            }
            AcknowledgedDevice device = made.get(ThreadLocalRandom.current().nextInt(made.size()));
            HttpResponse<byte[]> bundle = clients.computeIfAbsent(device.token(), t -> ApiClient.station(port, t))
                    .get("/api/v1/devices/" + device.eui64() + "/bundle");
            if (bundle.statusCode() != 200) {
                refused("bundle " + device.eui64(), bundle);
                continue;
            }
            handedOut(device.eui64(), BundleFacts.of(bundle.body()).sequence());
        }
    }

    private void refused(String what, HttpResponse<byte[]> answer) {
        String line = what + ": " + answer.statusCode() + " " + ApiClient.text(answer);
        (answer.statusCode() >= 500 ? serverErrors : unexpected).add(line);
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Runs until stopped or the service goes away (the connection is refused or cut by the kill). */
    private void untilCut(Work work) {
        try {
            work.run();
        } catch (UncheckedIOException | InterruptedException e) {
            // the service was killed under this worker: what it had not yet answered is not acknowledged
        } catch (Exception e) {
            if (!stopped.get()) {
                unexpected.add("worker failed: " + e);
            }
        }
    }

    /** Locally administered EUI-64s, distinct per worker and round. */
    static String eui64(int prefix, int i) {
        return String.format("02-CD-%02X-FF-FE-%02X-%02X-%02X", prefix & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
    }

    static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
