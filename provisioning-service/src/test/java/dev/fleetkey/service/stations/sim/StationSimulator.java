package dev.fleetkey.service.stations.sim;

import java.io.PrintStream;
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
 * batches. Every mode is warmed up first (both JVMs compile their hot paths during the first minute or so
 * of load; a line runs for weeks), and that warm-up is not counted. Prints devices/s and p50/p99
 * latency next to the crypto floor measured in this run, and, given the service's process id, the
 * service's CPU time per device next to the floor's. It reports; it never fails on a number.
 *
 * <pre>
 * FLEETKEY_ADMIN_PASSWORD=... ./mvnw -B -q -pl provisioning-service -am -Psimulate test-compile \
 *     -Dexec.args="--url http://localhost:18080 --stations 4 --devices 3000 --mode psk=demo-sensor,x509=demo-x509"
 * </pre>
 * (the {@code simulate} profile of the service's pom runs it after test-compile.) How to start the service for
 * it and what the reference machine measured: {@code provisioning-service/PERFORMANCE.md}.
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

    @Option(names = "--warmup-seconds", defaultValue = "180",
            description = "Most load per mode before measuring: one small batch per station, then single requests in 5 s"
                    + " windows until the last three agree within 5 %% (every mode first, then again before it is"
                    + " measured); 0 skips it")
    int warmupSeconds;

    @Option(names = "--floor-seconds", defaultValue = "3", description = "How long to measure the crypto floor per mode")
    int floorSeconds;

    @Option(names = "--service-pid", description = "Process id of the service when it runs on this machine: adds its CPU"
            + " time per device (from /proc) next to the floor's")
    Long servicePid;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream out;
    private final String password;
    private String adminAuthorization;

    /** Prints the table to {@code out}; {@code password} is the administrator's (it makes the stations). */
    StationSimulator(PrintStream out, String password) {
        this.out = out;
        this.password = password;
    }

    public static void main(String[] args) {
        String password = System.getenv("FLEETKEY_ADMIN_PASSWORD");
        if (password == null) {
            System.err.println("Set FLEETKEY_ADMIN_PASSWORD to the service's administrator password");
            System.exit(2);
        }
        System.exit(new CommandLine(new StationSimulator(System.out, password)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        adminAuthorization = "Basic " + Base64.getEncoder().encodeToString((adminUser + ":" + password).getBytes(StandardCharsets.UTF_8));
        String run = Long.toHexString(System.currentTimeMillis() & 0xffffff);
        CpuClock serviceCpu = servicePid == null ? null : CpuClock.ofProcess(servicePid);
        CpuClock ownCpu = CpuClock.ofThisProcess();
        CryptoFloor floor = new CryptoFloor();
        int threads = Runtime.getRuntime().availableProcessors();
        List<String> rows = new ArrayList<>();
        // 256 EUI-64 prefixes of 2^24 devices each for this run, so runs against one database never collide
        int prefix = ThreadLocalRandom.current().nextInt(256) * 256;
        Map<String, List<String>> tokensByMode = new LinkedHashMap<>();
        for (Map.Entry<String, String> mode : modes.entrySet()) {
            List<String> tokens = new ArrayList<>();
            for (int k = 0; k < stations; k++) {
                tokens.add(createStation("sim-" + run + "-" + mode.getKey() + "-" + k, mode.getValue()));
            }
            tokensByMode.put(mode.getKey(), tokens);
        }
        if (warmupSeconds > 0) {
            // every path of every mode before any is measured: code they share is recompiled each time a new path
            // first runs it, so the first mode measured would otherwise pay for the others
            for (Map.Entry<String, String> mode : modes.entrySet()) {
                batches(tokensByMode.get(mode.getKey()), mode.getValue(), prefix++, Math.min(devices, 100 * stations), "warm-up");
            }
            for (Map.Entry<String, String> mode : modes.entrySet()) {
                prefix = warmUp(tokensByMode.get(mode.getKey()), mode.getValue(), prefix, 30);
            }
        }
        for (Map.Entry<String, String> mode : modes.entrySet()) {
            String template = mode.getValue();
            List<String> tokens = tokensByMode.get(mode.getKey());
            if (warmupSeconds > 0 && modes.size() > 1) {
                prefix = warmUp(tokens, template, prefix, 15);
            }
            CryptoFloor.Rate before = floor.measure(mode.getKey(), threads, Duration.ofSeconds(floorSeconds));
            int singlePrefix = prefix++;
            int batchPrefix = prefix++;
            Phase single = measured(serviceCpu, ownCpu,
                    () -> single(tokens, template, singlePrefix, devices, null, "single"));
            Phase batch = measured(serviceCpu, ownCpu, () -> batches(tokens, template, batchPrefix, devices, "batch"));
            CryptoFloor.Rate after = floor.measure(mode.getKey(), threads, Duration.ofSeconds(floorSeconds));
            // the higher of the two floors: the ratio is never flattered by a floor measured while the machine was busy
            CryptoFloor.Rate rate = before.perSecond() >= after.perSecond() ? before : after;
            rows.add(row(mode.getKey(), "single", single, rate));
            rows.add(row(mode.getKey(), "batch", batch, rate));
        }
        out.printf("%n%d stations, %d devices per phase, %d cores, each mode warmed up until steady (at most %d s); floor = keygen + sign + bundle"
                + " on %d threads, the higher of before and after the mode's phases%n", stations, devices, threads,
                warmupSeconds, threads);
        out.printf("%-5s %-7s %7s %6s %10s %8s %8s %11s %6s %10s %10s %9s%n", "mode", "phase", "devices", "errors",
                "devices/s", "p50 ms", "p99 ms", "floor dev/s", "ratio", "svc cpu ms", "flr cpu ms", "sim cpu %");
        rows.forEach(out::println);
        out.println("svc cpu ms: the service's CPU time per device (--service-pid); flr cpu ms: the floor's;"
                + " sim cpu %: this simulator's share of the machine while the phase ran");
        return 0;
    }

    /**
     * Single requests in windows of 5 s until the last three windows agree within 5 % of their mean (after at
     * least {@code minSeconds}), or {@code warmupSeconds} have passed: on 2 cores the service's JIT compiler
     * works for about a minute of full load, with plateaus on the way, and numbers taken before it settles
     * measure the compiler. Answers the next free prefix.
     */
    private int warmUp(List<String> tokens, String template, int prefix, int minSeconds) throws Exception {
        Duration window = Duration.ofSeconds(Math.min(5, warmupSeconds));
        List<Double> rates = new ArrayList<>();
        int elapsed = 0;
        while (elapsed < warmupSeconds) {
            rates.add(single(tokens, template, prefix++, Integer.MAX_VALUE, window, "warm-up").perSecond());
            elapsed += (int) window.toSeconds();
            if (elapsed >= minSeconds && rates.size() >= 3) {
                List<Double> last = rates.subList(rates.size() - 3, rates.size());
                double mean = last.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                if (last.stream().allMatch(r -> Math.abs(r - mean) <= 0.05 * mean)) {
                    System.err.printf("warm-up %s: steady at %.0f devices/s after %d s%n", template, mean, elapsed);
                    return prefix;
                }
            }
        }
        System.err.printf("warm-up %s: still changing after %d s (windows %s devices/s); measuring anyway%n", template,
                elapsed, rates.stream().map(r -> String.format("%.0f", r)).toList());
        return prefix;
    }

    /** What one measured phase did, and the CPU it cost the service and this simulator. */
    private record Phase(Result result, double serviceCpuSeconds, double ownCpuSeconds) {
    }

    private interface Load {
        Result run() throws Exception;
    }

    private Phase measured(CpuClock serviceCpu, CpuClock ownCpu, Load load) throws Exception {
        double service0 = serviceCpu == null ? Double.NaN : serviceCpu.seconds();
        double own0 = ownCpu.seconds();
        Result result = load.run();
        double service = serviceCpu == null ? Double.NaN : serviceCpu.seconds() - service0;
        return new Phase(result, service, ownCpu.seconds() - own0);
    }

    private record Result(int ok, int errors, double seconds, double p50, double p99) {
        double perSecond() {
            return ok / seconds;
        }
    }

    private static String row(String mode, String phase, Phase p, CryptoFloor.Rate floor) {
        Result r = p.result();
        int cores = Runtime.getRuntime().availableProcessors();
        return String.format("%-5s %-7s %7d %6d %10.1f %8s %8s %11.1f %6.3f %10s %10.3f %9.0f", mode, phase, r.ok(),
                r.errors(), r.perSecond(), millis(r.p50()), millis(r.p99()), floor.perSecond(),
                r.perSecond() / floor.perSecond(),
                Double.isNaN(p.serviceCpuSeconds()) ? "-" : String.format("%.3f", 1000 * p.serviceCpuSeconds() / r.ok()),
                floor.cpuMillisPerDevice(), 100 * p.ownCpuSeconds() / (r.seconds() * cores));
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "-" : String.format("%.1f", value);
    }

    /**
     * One POST per device with Accept: bundle and an Idempotency-Key, K stations in parallel, until {@code count}
     * devices are done or {@code limit} (if not null) has passed.
     */
    private Result single(List<String> tokens, String template, int prefix, int count, Duration limit, String label)
            throws Exception {
        long[] latencies = new long[limit == null ? count : 1 << 20];
        int max = Math.min(count, latencies.length);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Progress progress = limit == null ? new Progress(label + " " + template, max)
                : Progress.timed(label + " " + template, limit);
        long start = System.nanoTime();
        long deadline = limit == null ? Long.MAX_VALUE : start + limit.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
        List<Future<?>> runs = new ArrayList<>();
        for (String token : tokens) {
            runs.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < max && System.nanoTime() < deadline; i = next.getAndIncrement()) {
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
        int done = Math.min(next.get(), max);
        long[] ok = Arrays.stream(latencies, 0, done).filter(l -> l > 0).sorted().toArray();
        return new Result(ok.length, errors.get(), seconds, percentile(ok, 0.50), percentile(ok, 0.99));
    }

    /** Each station posts one batch of count/K devices; the clock stops when all have finished. */
    private Result batches(List<String> tokens, String template, int prefix, int count, String label) throws Exception {
        List<String> locations = new ArrayList<>();
        long start = System.nanoTime();
        int per = (count + tokens.size() - 1) / tokens.size();
        for (int k = 0; k < tokens.size(); k++) {
            List<String> eui64s = new ArrayList<>();
            for (int i = k * per; i < Math.min(count, (k + 1) * per); i++) {
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
        Progress progress = new Progress(label + " batch " + template, count);
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
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress.finish();
        return new Result(succeeded, failed, seconds, Double.NaN, Double.NaN);
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
