package dev.fleetkey.service.stations.sim;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives a running service like a factory floor: K stations, N devices per credential mode, first one
 * request per device (with the bundle in the answer, as a line flashes it), then the same count as
 * batches. Prints devices/s and p50/p99 latency next to the crypto floor measured in this run. It
 * reports; it never fails on a number.
 *
 * <pre>
 * FLEETKEY_ADMIN_PASSWORD=... ./mvnw -B -o -q -pl provisioning-service -am test-compile exec:java@simulate \
 *     -Dexec.skip=true -Dexec.args="--url http://localhost:18080 --stations 4 --devices 2000 --mode psk=demo-sensor"
 * </pre>
 * ({@code -Dexec.skip=true} skips the other reactor modules; the simulate execution overrides it.)
 */
@Command(name = "station-simulator", mixinStandardHelpOptions = true, description = "Load a Fleetkey service with simulated stations")
public final class StationSimulator implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "Service base URL")
    String url;

    @Option(names = "--admin", defaultValue = "admin", description = "Administrator user name")
    String adminUser;

    @Option(names = "--stations", defaultValue = "4", description = "Concurrent stations (K)")
    int stations;

    @Option(names = "--devices", defaultValue = "1000", description = "Devices per mode and phase (N)")
    int devices;

    @Option(names = "--mode", defaultValue = "psk=demo-sensor", split = ",",
            description = "Credential modes to run as mode=template, e.g. psk=demo-sensor,x509=demo-x509")
    Map<String, String> modes = new LinkedHashMap<>();

    @Option(names = "--floor-modes", defaultValue = "psk,rpk,x509", split = ",",
            description = "Modes whose crypto floor is printed even without a template to run them against")
    List<String> floorModes = new ArrayList<>();

    @Option(names = "--floor-seconds", defaultValue = "3", description = "How long to measure the crypto floor per mode")
    int floorSeconds;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String adminAuthorization;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StationSimulator()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String password = System.getenv("FLEETKEY_ADMIN_PASSWORD");
        if (password == null) {
            System.err.println("Set FLEETKEY_ADMIN_PASSWORD to the service's administrator password");
            return 2;
        }
        adminAuthorization = "Basic " + Base64.getEncoder().encodeToString((adminUser + ":" + password).getBytes(StandardCharsets.UTF_8));
        String run = Long.toHexString(System.currentTimeMillis() & 0xffffff);
        List<String> rows = new ArrayList<>();
        CryptoFloor floor = new CryptoFloor();
        int threads = Runtime.getRuntime().availableProcessors();
        for (Map.Entry<String, String> mode : modes.entrySet()) {
            List<String> tokens = new ArrayList<>();
            for (int k = 0; k < stations; k++) {
                tokens.add(createStation("sim-" + run + "-" + mode.getKey() + "-" + k, mode.getValue()));
            }
            int prefix = ThreadLocalRandom.current().nextInt(1 << 16);
            Result single = single(tokens, mode.getValue(), prefix);
            Result batch = batches(tokens, mode.getValue(), prefix + 1);
            double floorRate = floor.devicesPerSecond(mode.getKey(), threads, Duration.ofSeconds(floorSeconds));
            rows.add(row(mode.getKey(), "single", single, floorRate));
            rows.add(row(mode.getKey(), "batch", batch, floorRate));
        }
        System.out.printf("%n%d stations, %d devices per phase, %d cores; floor = keygen + sign + bundle on %d threads%n",
                stations, devices, threads, threads);
        System.out.printf("%-5s %-7s %7s %6s %10s %8s %8s %11s %6s%n", "mode", "phase", "devices", "errors", "devices/s",
                "p50 ms", "p99 ms", "floor dev/s", "ratio");
        rows.forEach(System.out::println);
        for (String mode : floorModes) {
            System.out.printf("floor %-5s %10.1f devices/s%n", mode, floor.devicesPerSecond(mode, threads, Duration.ofSeconds(floorSeconds)));
        }
        return 0;
    }

    private record Result(int ok, int errors, double perSecond, double p50, double p99) {
    }

    private static String row(String mode, String phase, Result r, double floor) {
        return String.format("%-5s %-7s %7d %6d %10.1f %8s %8s %11.1f %6.3f", mode, phase, r.ok(), r.errors(), r.perSecond(),
                Double.isNaN(r.p50()) ? "-" : String.format("%.1f", r.p50()),
                Double.isNaN(r.p99()) ? "-" : String.format("%.1f", r.p99()), floor, r.perSecond() / floor);
    }

    /** One POST per device with Accept: bundle and an Idempotency-Key, K stations in parallel. */
    private Result single(List<String> tokens, String template, int prefix) throws Exception {
        long[] latencies = new long[devices];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Progress progress = new Progress("single " + template, devices);
        ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
        long start = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (String token : tokens) {
            runs.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < devices; i = next.getAndIncrement()) {
                    String body = "{\"eui64\":\"" + eui64(prefix, i) + "\",\"template\":\"" + template + "\"}";
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/devices"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .header("Accept", "application/vnd.fleetkey.bundle+cms")
                            .header("Idempotency-Key", "sim-" + prefix + "-" + i)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
                    latencies[i] = System.nanoTime() - t0;
                    if (response.statusCode() != 201) {
                        errors.incrementAndGet();
                        latencies[i] = -1;
                    }
                    progress.step();
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        progress.finish();
        long[] ok = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
        return new Result(ok.length, errors.get(), ok.length / seconds, percentile(ok, 0.50), percentile(ok, 0.99));
    }

    /** Each station posts one batch of N/K devices; the clock stops when all have finished. */
    private Result batches(List<String> tokens, String template, int prefix) throws Exception {
        List<String> locations = new ArrayList<>();
        long start = System.nanoTime();
        int per = (devices + tokens.size() - 1) / tokens.size();
        for (int k = 0; k < tokens.size(); k++) {
            List<String> eui64s = new ArrayList<>();
            for (int i = k * per; i < Math.min(devices, (k + 1) * per); i++) {
                eui64s.add(eui64(prefix, i));
            }
            HttpResponse<byte[]> accepted = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/batches"))
                    .header("Authorization", "Bearer " + tokens.get(k)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("template", template, "eui64s", eui64s))))
                    .build());
            if (accepted.statusCode() != 202) {
                throw new IllegalStateException("batch refused: " + accepted.statusCode() + " " + new String(accepted.body(), StandardCharsets.UTF_8));
            }
            locations.add(accepted.headers().firstValue("Location").orElseThrow());
        }
        Progress progress = new Progress("batch  " + template, devices);
        int succeeded;
        int failed;
        while (true) {
            succeeded = 0;
            failed = 0;
            boolean finished = true;
            for (int k = 0; k < tokens.size(); k++) {
                JsonNode status = JSON.readTree(send(HttpRequest.newBuilder(URI.create(url + locations.get(k)))
                        .header("Authorization", "Bearer " + tokens.get(k)).GET().build()).body());
                succeeded += status.get("succeeded").intValue();
                failed += status.get("failed").intValue();
                finished &= "FINISHED".equals(status.get("state").stringValue());
            }
            progress.set(succeeded + failed);
            if (finished) {
                break;
            }
            Thread.sleep(250);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.finish();
        return new Result(succeeded, failed, succeeded / seconds, Double.NaN, Double.NaN);
    }

    private String createStation(String name, String template) {
        HttpResponse<byte[]> created = send(HttpRequest.newBuilder(URI.create(url + "/api/v1/stations"))
                .header("Authorization", adminAuthorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"allowedTemplates\":[\"" + template
                        + "\"],\"quotaPerMinute\":100000}")).build());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("cannot create station: " + created.statusCode() + " "
                    + new String(created.body(), StandardCharsets.UTF_8));
        }
        return JSON.readTree(created.body()).get("token").stringValue();
    }

    /** Locally administered EUI-64s (02-...), a random prefix per run so runs never collide. */
    private static String eui64(int prefix, int i) {
        return String.format("02-%02X-%02X-FF-FE-%02X-%02X-%02X", (prefix >> 8) & 0xff, prefix & 0xff, (i >> 16) & 0xff,
                (i >> 8) & 0xff, i & 0xff);
    }

    private static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1)] / 1e6;
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
