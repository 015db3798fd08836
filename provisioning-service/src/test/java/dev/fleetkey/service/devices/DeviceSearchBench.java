package dev.fleetkey.service.devices;

import dev.fleetkey.service.pki.TestPki;
import dev.fleetkey.service.system.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Device search on a table of 1,000,000 devices (and one credential each), in H2 and in PostgreSQL: fills the
 * migrated schema with plain batched INSERTs (not through provisioning), then times filtered pages, a deep page,
 * a count and the streamed export, and reports the heap the export used. Measures and prints; never fails a build.
 *
 * <p>Run from the repository root (PostgreSQL from the Debian package, started in a temporary directory):
 * <pre>
 * ./mvnw -q -B -o -pl provisioning-service -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -Xmx256m -cp provisioning-service/target/test-classes:provisioning-service/target/classes:$(cat provisioning-service/target/test.classpath) \
 *     dev.fleetkey.service.devices.DeviceSearchBench h2|postgres [devices [filled H2 file, to time the queries again]]
 * </pre>
 */
public final class DeviceSearchBench {

    private static final String[] STATES = {"VERIFIED", "VERIFIED", "VERIFIED", "PROVISIONED", "FAILED", "REVOKED"};
    private static final String[][] TEMPLATES = {{"demo-sensor", "PSK"}, {"demo-x509", "X509"}, {"demo-rpk", "RAW_PUBLIC_KEY"},
        {"line-meter", "PSK"}};
    /** A real certificate's DER (the export parses it for its validity); the same for every row. */
    private static final byte[] CERTIFICATE = certificate();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static boolean queriesOnly;

    private DeviceSearchBench() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "h2";
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        // an H2 file already filled by an earlier run: time the queries again, without filling or exporting
        String existing = args.length > 2 ? args[2] : null;
        if (database.equals("postgres")) {
            try (LocalPostgres pg = LocalPostgres.start(LocalPostgres.installedBinaries().orElseThrow(
                    () -> new IllegalStateException("Install the postgresql package first")))) {
                run("PostgreSQL", pg.jdbcUrl(), LocalPostgres.USER, devices);
            }
        } else {
            Path file = existing != null ? Path.of(existing) : Files.createTempDirectory("fleetkey-bench-h2-").resolve("bench");
            queriesOnly = existing != null;
            run("H2", "jdbc:h2:file:" + file + ";QUERY_CACHE_SIZE=256", "sa", devices);
        }
    }

    private static void run(String name, String url, String user, int devices) throws Exception {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(url, user, "", true);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        long fillStart = System.nanoTime();
        if (!queriesOnly) {
            fill(dataSource, devices);
        }
        if (name.equals("PostgreSQL")) {
            JdbcClient.create(dataSource).sql("ANALYZE").update();
        }
        System.out.printf("%s: %,d devices and credentials inserted in %.0f s%n", name, devices,
                (System.nanoTime() - fillStart) / 1e9);
        DeviceQueries queries = new DeviceQueries(JdbcClient.create(dataSource));
        Instant weekFrom = START.plus(150, ChronoUnit.DAYS);
        time("first page, no filter (100)", i -> queries.page(since(i, Map.of()), null, null, 100, false));
        time("state=VERIFIED&template=demo-x509 (100)", i -> queries.page(since(i, Map.of("state", "VERIFIED",
                "template", "demo-x509")), null, null, 100, false));
        time("station 7, one week (100)", i -> queries.page(DeviceQuery.of(Map.of("createdFrom",
                weekFrom.minusMillis(i).toString(), "createdTo", weekFrom.plus(7, ChronoUnit.DAYS).toString())), 7L,
                null, 100, false));
        time("mode=x509&certExpiringBefore (100)", i -> queries.page(since(i, Map.of("mode", "x509",
                "certExpiringBefore", "2027-02-01")), null, null, 100, false));
        time("eui64 prefix 00-00-12 (100)", i -> queries.page(since(i, Map.of("eui64", "00-00-12")), null, null,
                100, false));
        time("revoked=true, newest first (100)", i -> queries.page(since(i, Map.of("revoked", "true")), null,
                null, 100, true));
        DeviceQueries.Position deep = queries.page(DeviceQuery.all(), null, null, 1000, false).next();
        for (int i = 0; i < 499; i++) {
            deep = queries.page(DeviceQuery.all(), null, deep, 1000, false).next();
        }
        DeviceQueries.Position middle = deep;
        time("page 5001 (after 500,000 rows, 100)", i -> queries.page(DeviceQuery.all(), null,
                new DeviceQueries.Position(middle.createdAt(), middle.id() - i), 100, false));
        time("count state=VERIFIED&template=demo-x509 (UI)", i -> queries.count(since(i, Map.of("state",
                "VERIFIED", "template", "demo-x509")), null));
        if (!queriesOnly) {
            exportAll(dataSource, queries);
        }
        dataSource.destroy();
    }

    /**
     * The filter plus a createdFrom before every row, a millisecond apart per run: the result is the same, but H2
     * cannot hand back the previous run's result (it reuses one when the parameters and tables are unchanged).
     */
    private static DeviceQuery since(int run, Map<String, String> filter) {
        Map<String, String> parameters = new java.util.HashMap<>(filter);
        parameters.put("createdFrom", START.minusMillis(run + 1L).toString());
        return DeviceQuery.of(parameters);
    }

    private static void time(String label, IntFunction<Object> query) {
        for (int i = 0; i < 3; i++) {
            query.apply(100 + i);
        }
        long[] nanos = new long[15];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            query.apply(i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("  %-48s median %7.2f ms  max %7.2f ms%n", label, nanos[nanos.length / 2] / 1e6,
                nanos[nanos.length - 1] / 1e6);
    }

    /** The whole export, streamed into a counter; the heap after it ran shows nothing was kept. */
    private static void exportAll(DataSource dataSource, DeviceQueries queries) {
        Runtime runtime = Runtime.getRuntime();
        AtomicLong rows = new AtomicLong();
        AtomicLong peak = new AtomicLong();
        long start = System.nanoTime();
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(status ->
                queries.exportRows(DeviceQuery.all(), null, row -> {
                    if (rows.incrementAndGet() % 50_000 == 0) {
                        peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
                    }
                }));
        System.out.printf("  %-48s %,d rows in %.1f s, heap used at most %d MiB of -Xmx %d MiB%n",
                "export, no filter", rows.get(), (System.nanoTime() - start) / 1e9, peak.get() >> 20,
                runtime.maxMemory() >> 20);
    }

    private static void fill(DataSource dataSource, int devices) throws Exception {
        SecureRandom random = new SecureRandom();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement device = connection.prepareStatement("INSERT INTO devices (id, eui64, template_id,"
                    + " template_version, state, created_at, updated_at, station_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement credential = connection.prepareStatement("INSERT INTO device_credentials"
                            + " (device_id, server_name, mode, psk_identity, sealed_secret, sealing_key_id, created_at,"
                            + " public_key, public_key_sha256, certificate, certificate_serial, key_origin,"
                            + " certificate_not_after) VALUES (?, 'fleetkey', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 1; i <= devices; i++) {
                    String[] template = TEMPLATES[i % TEMPLATES.length];
                    Instant created = START.plusMillis(i * 30_000L);
                    device.setLong(1, i);
                    device.setString(2, eui64(i));
                    device.setString(3, template[0]);
                    device.setInt(4, 1 + i % 2);
                    device.setString(5, STATES[i % STATES.length]);
                    device.setObject(6, created.atOffset(ZoneOffset.UTC));
                    device.setObject(7, created.atOffset(ZoneOffset.UTC));
                    device.setObject(8, i % 3 == 0 ? null : (long) (i % 20));
                    device.addBatch();
                    credential(credential, random, i, template[1], created);
                    if (i % 1000 == 0) {
                        device.executeBatch();
                        credential.executeBatch();
                        connection.commit();
                    }
                }
                device.executeBatch();
                credential.executeBatch();
                connection.commit();
            }
        }
    }

    private static void credential(PreparedStatement credential, SecureRandom random, int device, String mode,
            Instant created) throws Exception {
        boolean psk = mode.equals("PSK");
        boolean x509 = mode.equals("X509");
        credential.setLong(1, device);
        credential.setString(2, mode);
        credential.setBytes(3, psk ? bytes(random, 16) : null);
        credential.setBytes(4, psk ? bytes(random, 48) : null);
        credential.setString(5, psk ? "bench" : null);
        credential.setObject(6, created.atOffset(ZoneOffset.UTC));
        credential.setBytes(7, psk ? null : bytes(random, 91));
        credential.setBytes(8, psk ? null : bytes(random, 32));
        credential.setBytes(9, x509 ? CERTIFICATE : null);
        credential.setString(10, x509 ? Long.toHexString(device) : null);
        credential.setString(11, psk ? null : "SERVICE");
        credential.setObject(12, x509 ? created.plus(365, ChronoUnit.DAYS).atOffset(ZoneOffset.UTC) : null);
        credential.addBatch();
    }

    private static byte[] certificate() {
        try {
            return TestPki.shared().rootCertificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(SecureRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String eui64(long n) {
        String hex = String.format("%016X", n);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 16; i += 2) {
            parts.add(hex.substring(i, i + 2));
        }
        return String.join("-", parts);
    }
}
