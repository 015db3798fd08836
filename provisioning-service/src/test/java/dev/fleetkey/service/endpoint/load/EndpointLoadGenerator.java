package dev.fleetkey.service.endpoint.load;

import com.upokecenter.cbor.CBORObject;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Loads a running service's coaps endpoint with simulated devices and prints, per credential mode: full and
 * resumed handshakes per second, established-session {@code POST /checkin} per second, p50/p99 latency, failed
 * and dropped (timed out) attempts, and an open-loop run at twice the measured full-handshake rate; next to the
 * same run's floor for a handshake's server-side crypto ({@link HandshakeFloor}) and a bare Californium echo
 * resource ({@link EchoServer}); with {@code --service-pid}, the service's live heap per idle session. Devices are
 * provisioned through the station API first, each with its own UDP port. It reports; it never fails on a number.
 *
 * <pre>
 * FLEETKEY_ADMIN_PASSWORD=... ./mvnw -B -q -pl provisioning-service -Pload-endpoint test-compile \
 *     -Dexec.args="--url http://localhost:18080 --coaps localhost:15684 --devices 200"
 * </pre>
 * How to start the service for it and what was measured: {@code provisioning-service/PERFORMANCE.md}.
 */
@Command(name = "endpoint-load", mixinStandardHelpOptions = true, description = "Load a Fleetkey coaps endpoint with simulated devices")
public final class EndpointLoadGenerator implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "Service base URL (to provision)")
    String url;

    @Option(names = "--coaps", defaultValue = "localhost:5684", description = "The endpoint's host:port")
    String coaps;

    @Option(names = "--admin", defaultValue = "admin", description = "Administrator user name")
    String adminUser;

    @Option(names = "--mode", defaultValue = "psk=demo-sensor,rpk=demo-rpk,x509=demo-x509", split = ",",
            description = "Credential modes as mode=template")
    Map<String, String> modes = new LinkedHashMap<>();

    @Option(names = "--server-name", defaultValue = "fleetkey", description = "The endpoint's server name in the bundles")
    String serverName;

    @Option(names = "--devices", defaultValue = "200", description = "Simulated devices per mode, each its own UDP port")
    int devices;

    @Option(names = "--concurrency", defaultValue = "32", description = "Devices busy at once in the closed-loop phases")
    int concurrency;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each measured phase")
    int seconds;

    @Option(names = "--warmup-seconds", defaultValue = "20", description = "Full handshakes per mode before measuring")
    int warmupSeconds;

    @Option(names = "--max-clients", defaultValue = "15000", description = "Most clients (own UDP port and receiver"
            + " thread each) for the open loop at twice the full rate: it needs one per handshake in flight, up to twice"
            + " the rate times --seconds; extra clients reuse the devices' credentials from new ports. Each holds a file"
            + " descriptor: keep it under ulimit -n")
    int maxClients;

    @Option(names = "--phases", defaultValue = "full,resumed,checkin,2x-full,memory", split = ",",
            description = "Phases to run (the warm-up always runs): full (with the floor), resumed, checkin (with the echo"
                    + " reference), 2x-full, memory")
    Set<String> phases = new LinkedHashSet<>();

    @Option(names = "--service-pid", description = "The service's process id on this machine: adds its CPU time per"
            + " operation and its live heap per idle session")
    Long servicePid;

    @Option(names = "--settle-seconds", defaultValue = "250", description = "How long to wait after the load phases"
            + " before the memory measurement: a CoAP server keeps each exchange for its EXCHANGE_LIFETIME (247 s), and a"
            + " heap read while those expire shrinks")
    int settleSeconds;

    @Option(names = "--idle-seconds", defaultValue = "30", description = "How long the sessions of the memory"
            + " measurement stay idle before the heap is read")
    int idleSeconds;

    private static final byte[] CHECKIN = CBORObject.NewMap().Add("firmware", "1.0.0-load").EncodeToBytes();

    private final PrintStream out;
    private final String password;

    EndpointLoadGenerator(PrintStream out, String password) {
        this.out = out;
        this.password = password;
    }

    public static void main(String[] args) {
        String password = System.getenv("FLEETKEY_ADMIN_PASSWORD");
        if (password == null) {
            System.err.println("Set FLEETKEY_ADMIN_PASSWORD to the service's administrator password");
            System.exit(2);
        }
        // Californium logs every connector it starts at INFO: hundreds of lines around the table
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        System.exit(new CommandLine(new EndpointLoadGenerator(System.out, password)).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        String loadBefore = ServiceProcess.loadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        Duration phase = Duration.ofSeconds(seconds);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(coaps.substring(0, coaps.lastIndexOf(':'))),
                Integer.parseInt(coaps.substring(coaps.lastIndexOf(':') + 1)));
        ProvisionedDevices provisioning = new ProvisionedDevices(url, adminUser, password);
        Map<String, List<DeviceCredentials>> credentials = new LinkedHashMap<>();
        for (Map.Entry<String, String> mode : modes.entrySet()) {
            System.err.printf("provisioning %d %s devices through a station%n", devices, mode.getValue());
            credentials.put(mode.getKey(), provisioning.provision(mode.getValue(), devices, serverName));
        }
        ScheduledExecutorService dtls = Executors.newScheduledThreadPool(Math.max(4, cores * 2));
        ScheduledExecutorService coap = Executors.newScheduledThreadPool(Math.max(4, cores * 2));
        List<String> rows = new ArrayList<>();
        List<String> floors = new ArrayList<>();
        List<String> overloads = new ArrayList<>();
        List<String> groupLines = new ArrayList<>();
        CheckinGroups groups = new CheckinGroups(url, adminUser, password);
        HandshakeFloor floor = new HandshakeFloor();
        double echoRate = phases.contains("checkin") ? echo(rows, dtls, coap, phase) : Double.NaN;
        for (Map.Entry<String, List<DeviceCredentials>> mode : credentials.entrySet()) {
            List<DeviceClient> clients = new ArrayList<>();
            for (DeviceCredentials device : mode.getValue()) {
                clients.add(DeviceClient.of(device, server, dtls, coap));
            }
            System.err.printf("%s: warming up for %d s%n", mode.getKey(), warmupSeconds);
            Measured warm = measured(() -> LoadPhases.closedLoop(clients, concurrency,
                    Duration.ofSeconds(Math.max(1, warmupSeconds)), DeviceClient::fullHandshake));
            Measured full = null;
            if (phases.contains("full")) {
                HandshakeFloor.Rate before = floor.measure(mode.getKey(), cores, Duration.ofSeconds(2));
                full = measured(() -> LoadPhases.closedLoop(clients, concurrency, phase, DeviceClient::fullHandshake));
                HandshakeFloor.Rate after = floor.measure(mode.getKey(), cores, Duration.ofSeconds(2));
                // the higher of the two floors: a floor measured while the machine was busy never flatters the ratio
                HandshakeFloor.Rate rate = before.perSecond() >= after.perSecond() ? before : after;
                HandshakeFloor.Rate stackFloor = floor.measureWithStack(mode.getKey(), cores, Duration.ofSeconds(2));
                rows.add(row(mode.getKey(), "full", full, rate.perSecond()));
                floors.add(String.format(Locale.ROOT, "floor %-5s %10.1f handshakes/s on %d threads, %.3f ms CPU each;"
                        + " with the stack's own crypto %.1f/s, %.3f ms (full/that: %.3f)", mode.getKey(),
                        rate.perSecond(), cores, rate.cpuMillisPerHandshake(), stackFloor.perSecond(),
                        stackFloor.cpuMillisPerHandshake(), full.result().perSecond() / stackFloor.perSecond()));
            }
            if (phases.contains("resumed")) {
                rows.add(row(mode.getKey(), "resumed", measured(() -> LoadPhases.closedLoop(clients, concurrency, phase,
                        DeviceClient::resumedHandshake)), Double.NaN));
            }
            if (phases.contains("checkin")) {
                CheckinGroups.Reading groupsBefore = groups.read();
                rows.add(row(mode.getKey(), "checkin", measured(() -> LoadPhases.closedLoop(clients, concurrency, phase,
                        c -> c.post("checkin", CHECKIN))), echoRate));
                groupLines.add(groups.read().since(groupsBefore, mode.getKey()));
            }
            if (phases.contains("2x-full")) {
                // twice the full rate of this run, or of the warm-up when the full phase was left out
                double fullRate = (full != null ? full : warm).result().perSecond();
                List<DeviceClient> overloadClients = overloadClients(clients, mode.getValue(), 2 * fullRate, server,
                        dtls, coap);
                System.err.printf("%s: open loop at twice %.0f full handshakes/s from %d clients%n", mode.getKey(),
                        fullRate, overloadClients.size());
                Measured overload = measured(() -> LoadPhases.openLoop(overloadClients, 2 * Math.max(1, fullRate), phase,
                        DeviceClient::startFullHandshake));
                overloads.add(overload.result().overloadLine(mode.getKey(), 2 * fullRate, overloadClients.size()));
                overloadClients.subList(clients.size(), overloadClients.size()).forEach(DeviceClient::close);
                rows.add(row(mode.getKey(), "2x-full", overload, 2 * fullRate));
            }
            clients.forEach(DeviceClient::close);
        }
        String memory = !phases.contains("memory") ? "memory: - (not in --phases)"
                : servicePid == null ? "memory: - (give --service-pid)" : idleSessionMemory(credentials, server, dtls, coap);
        dtls.shutdownNow();
        coap.shutdownNow();
        out.printf("%n%d devices per mode (own UDP port each), %d busy at once, %d s per phase, %d cores; load average"
                + " before %s, after %s%n", devices, concurrency, seconds, cores, loadBefore, ServiceProcess.loadAverage());
        out.printf("%-5s %-8s %8s %7s %8s %7s %10s %8s %8s %11s %6s %9s%n", "mode", "phase", "attempts", "failed",
                "dropped", "no-dev", "ok/s", "p50 ms", "p99 ms", "reference/s", "ratio", "svc ms/op");
        rows.forEach(out::println);
        floors.forEach(out::println);
        overloads.forEach(out::println);
        groupLines.forEach(out::println);
        out.println(memory);
        out.println("full/resumed: one handshake plus one GET /hello; checkin: POST /checkin on an established session;"
                + " 2x-full: full handshakes started at twice the measured rate (open loop; attempts = started), no-dev ="
                + " not started for want of an idle client; reference: the floor (full), the echo resource (checkin), the offered rate (2x-full);"
                + " svc ms/op: the service's CPU time per completed operation (--service-pid); groups: the service's"
                + " check-in group commits during the checkin phase (fleetkey_checkin_group_size)");
        return 0;
    }

    /** The bare Californium echo resource's rate: the check-in row's reference. */
    private double echo(List<String> rows, ScheduledExecutorService dtls, ScheduledExecutorService coap, Duration phase)
            throws Exception {
        try (EchoServer echo = new EchoServer(concurrency)) {
            List<DeviceClient> echoClients = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                echoClients.add(DeviceClient.psk(EchoServer.identity(i).getBytes(StandardCharsets.US_ASCII), EchoServer.KEY,
                        echo.address(), dtls, coap));
            }
            LoadPhases.closedLoop(echoClients, concurrency, Duration.ofSeconds(Math.max(1, warmupSeconds / 4)),
                    c -> c.post("echo", CHECKIN));
            // the echo server runs in this process, beside its clients: no server CPU figure for it
            Measured echoed = new Measured(LoadPhases.closedLoop(echoClients, concurrency, phase,
                    c -> c.post("echo", CHECKIN)), Double.NaN);
            rows.add(row("echo", "request", echoed, Double.NaN));
            echoClients.forEach(DeviceClient::close);
            return echoed.result().perSecond();
        }
    }

    /** Live heap of the service per session: every device opens one more session from a new port, then is left idle. */
    private String idleSessionMemory(Map<String, List<DeviceCredentials>> credentials, InetSocketAddress server,
                                     ScheduledExecutorService dtls, ScheduledExecutorService coap) throws Exception {
        System.err.printf("memory: waiting %d s for the load phases' exchanges to expire%n", settleSeconds);
        Thread.sleep(settleSeconds * 1000L);
        long before = ServiceProcess.liveBytes(servicePid);
        List<DeviceClient> idle = new ArrayList<>();
        int established = 0;
        for (List<DeviceCredentials> mode : credentials.values()) {
            for (DeviceCredentials device : mode) {
                DeviceClient client = DeviceClient.of(device, server, dtls, coap);
                idle.add(client);
                if (client.fullHandshake().ok()) {
                    established++;
                }
            }
        }
        Thread.sleep(idleSeconds * 1000L);
        long after = ServiceProcess.liveBytes(servicePid);
        idle.forEach(DeviceClient::close);
        double perSession = (after - before) / (double) Math.max(1, established);
        return String.format("memory: %d idle sessions added %d bytes of live service heap after %d s idle: %.0f bytes"
                + " per session, %.0f MB for 100,000", established, after - before, idleSeconds, perSession,
                perSession * 100_000 / (1 << 20));
    }

    /**
     * The mode's clients plus as many more (new UDP ports, the devices' credentials in turn) as the open loop at
     * {@code rate} may have in flight: everything it starts in {@code --seconds}, at most {@code --max-clients}.
     */
    private List<DeviceClient> overloadClients(List<DeviceClient> clients, List<DeviceCredentials> devices, double rate,
                                               InetSocketAddress server, ScheduledExecutorService dtls,
                                               ScheduledExecutorService coap) throws Exception {
        int wanted = (int) Math.min(maxClients, Math.ceil(rate * seconds));
        List<DeviceClient> all = new ArrayList<>(clients);
        try {
            for (int i = 0; all.size() < wanted; i++) {
                all.add(DeviceClient.of(devices.get(i % devices.size()), server, dtls, coap));
            }
        } catch (Exception e) {
            System.err.printf("stopped at %d clients of %d wanted: %s (lower --max-clients or raise ulimit -n)%n",
                    all.size(), wanted, e.getMessage());
        }
        return all;
    }

    /** A phase's result and the CPU seconds the service spent on it. */
    private record Measured(LoadPhases.Result result, double serverCpuSeconds) {
    }

    private interface Phase {
        LoadPhases.Result run() throws Exception;
    }

    private Measured measured(Phase phase) throws Exception {
        double before = serverCpu();
        LoadPhases.Result result = phase.run();
        return new Measured(result, serverCpu() - before);
    }

    private double serverCpu() {
        return servicePid == null ? Double.NaN : ServiceProcess.cpuSeconds(servicePid);
    }

    private static String row(String mode, String phase, Measured m, double reference) {
        LoadPhases.Result r = m.result();
        return String.format(Locale.ROOT, "%-5s %-8s %8d %7d %8d %7d %10.1f %8.1f %8.1f %11s %6s %9s", mode, phase, r.offered(), r.failed(),
                r.timedOut(), r.noIdleDevice(), r.perSecond(), r.percentileMillis(0.5), r.percentileMillis(0.99),
                Double.isNaN(reference) ? "-" : String.format("%.1f", reference),
                Double.isNaN(reference) ? "-" : String.format("%.3f", r.perSecond() / reference),
                Double.isNaN(m.serverCpuSeconds()) || r.ok() == 0 ? "-"
                        : String.format("%.3f", 1000 * m.serverCpuSeconds() / r.ok()));
    }
}
