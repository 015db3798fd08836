package dev.fleetkey.service.devices;

import dev.fleetkey.service.pki.TestPki;
import dev.fleetkey.service.system.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * migrated schema with {@code INSERT ... SELECT} (not through provisioning), then times filtered pages, a deep page,
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

    /** A real certificate's DER (the export parses it for its validity); the same for every row. */
    private static final byte[] CERTIFICATE = certificate();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static boolean queriesOnly;

    private DeviceSearchBench() {
    }

    public static void main(String[] args) throws Exception {
        String database = args.length > 0 ? args[0] : "h2";
        int devices = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        // an H2 file already filled by an earlier run: migrate it and time the queries again, without filling
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
            fill(dataSource, name, devices);
        }
        if (name.equals("PostgreSQL")) {
            JdbcClient.create(dataSource).sql("ANALYZE").update();
        }
        System.out.printf("%s: %,d devices and credentials inserted in %.0f s%n", name, devices,
                (System.nanoTime() - fillStart) / 1e9);
        DeviceQueries queries = new DeviceQueries(JdbcClient.create(dataSource));
        String weekFrom = START.plus(150, ChronoUnit.DAYS).toString();
        String weekTo = START.plus(157, ChronoUnit.DAYS).toString();
        page(dataSource, queries, "first page, no filter", Map.of(), null, false);
        page(dataSource, queries, "first page, no filter, newest first (UI)", Map.of(), null, true);
        page(dataSource, queries, "state=VERIFIED&template=demo-x509", Map.of("state", "VERIFIED", "template",
                "demo-x509"), null, false);
        page(dataSource, queries, "state=VERIFIED&template=demo-x509, newest first", Map.of("state", "VERIFIED",
                "template", "demo-x509"), null, true);
        page(dataSource, queries, "template=demo-x509@2", Map.of("template", "demo-x509@2"), null, false);
        page(dataSource, queries, "template=demo-x509, newest first", Map.of("template", "demo-x509"), null, true);
        page(dataSource, queries, "station 7, one week", Map.of("createdFrom", weekFrom, "createdTo", weekTo), 7L,
                false);
        page(dataSource, queries, "mode=x509&certExpiringBefore=2027-02-01", Map.of("mode", "x509",
                "certExpiringBefore", "2027-02-01"), null, false);
        page(dataSource, queries, "certExpiringBefore=2027-01-02, newest first", Map.of("certExpiringBefore",
                "2027-01-02"), null, true);
        page(dataSource, queries, "mode=rpk, newest first", Map.of("mode", "rpk"), null, true);
        page(dataSource, queries, "eui64=00-00-12 (prefix)", Map.of("eui64", "00-00-12"), null, false);
        page(dataSource, queries, "revoked=true, newest first", Map.of("revoked", "true"), null, true);
        DeviceQueries.Position deep = queries.page(DeviceQuery.all(), null, null, 1000, false).next();
        for (int i = 0; i < 499; i++) {
            deep = queries.page(DeviceQuery.all(), null, deep, 1000, false).next();
        }
        DeviceQueries.Position middle = deep;
        time("page 5001 (after 500,000 rows, 100)", i -> queries.page(DeviceQuery.all(), null,
                new DeviceQueries.Position(middle.createdAt(), middle.id() - i), 100, false));
        time("UI count state=VERIFIED&template=demo-x509", i -> queries.count(since(i, Map.of("state",
                "VERIFIED", "template", "demo-x509")), null, DeviceSearch.COUNT_LIMIT));
        time("UI count certExpiringBefore=2027-01-02", i -> queries.count(since(i, Map.of("certExpiringBefore",
                "2027-01-02")), null, DeviceSearch.COUNT_LIMIT));
        time("full COUNT(*) state=VERIFIED&template=demo-x509", i -> queries.count(since(i, Map.of("state",
                "VERIFIED", "template", "demo-x509")), null, Long.MAX_VALUE - 1));
        exportAll(dataSource, queries);
        dataSource.destroy();
    }

    /**
     * Times a page of 100 (and the query of its devices' modes), then shows the database's own account of the page
     * query as the API sends it (without the createdFrom that {@link #since} adds): PostgreSQL's execution time
     * from {@code EXPLAIN ANALYZE}, H2's plan (whether it reads an index in order: "index sorted") and rows read.
     */
    private static void page(DataSource dataSource, DeviceQueries queries, String label, Map<String, String> filter,
            Long station, boolean newestFirst) {
        time(label, i -> queries.page(since(i, filter), station, null,
                100, newestFirst));
        DevicePageStatement statement = queries.pageStatement(DeviceQuery.of(filter), station, null, 100,
                newestFirst);
        JdbcClient.StatementSpec explain = JdbcClient.create(dataSource).sql("EXPLAIN ANALYZE " + statement.sql());
        statement.params().forEach(explain::param);
        List<String> plan = explain.query(String.class).list();
        String account = plan.stream().filter(line -> line.startsWith("Execution Time")).findFirst()
                .orElse(String.join(" ", plan).replaceAll("\\s+", " "));
        System.out.printf("      %s%n", account);
    }

    /**
     * The filter plus a createdFrom before every row (or its own createdFrom), a millisecond earlier per run: the
     * result is the same, but H2 cannot hand back the previous run's result (it reuses one when the parameters and
     * tables are unchanged).
     */
    private static DeviceQuery since(int run, Map<String, String> filter) {
        Map<String, String> parameters = new java.util.HashMap<>(filter);
        Instant from = filter.containsKey("createdFrom") ? Instant.parse(filter.get("createdFrom")) : START;
        parameters.put("createdFrom", from.minusMillis(run + 1L).toString());
        return DeviceQuery.of(parameters);
    }

    /** 3 warm-ups and 15 timed runs; 1 and 5 when a run takes more than a second (a slow query is slow). */
    private static void time(String label, IntFunction<Object> query) {
        long first = System.nanoTime();
        query.apply(100);
        boolean slow = System.nanoTime() - first > 1_000_000_000L;
        for (int i = 1; i < (slow ? 1 : 3); i++) {
            query.apply(100 + i);
        }
        long[] nanos = new long[slow ? 5 : 15];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            query.apply(i);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("  %-48s median %7.2f ms  max %7.2f ms  (%d runs)%n", label, nanos[nanos.length / 2] / 1e6,
                nanos[nanos.length - 1] / 1e6, nanos.length);
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

    /**
     * Inserts the devices and their credentials with {@code INSERT ... SELECT} over a generated range of numbers
     * (H2's {@code SYSTEM_RANGE}, PostgreSQL's {@code generate_series}), 100,000 rows a statement: the database
     * makes the rows itself, which takes minutes where a million batched INSERTs took 40 (H2).
     */
    private static void fill(DataSource dataSource, String database, int devices) throws Exception {
        boolean h2 = database.equals("H2");
        // x: the row's number; h: its 16 hex digits; the dialects differ only in these and in random bytes
        String numbers = h2 ? "SELECT X AS x, UPPER(RAWTOHEX(CAST(X AS BINARY(8)))) AS h FROM SYSTEM_RANGE(?, ?)"
                : "SELECT x, LPAD(UPPER(TO_HEX(x)), 16, '0') AS h FROM generate_series(?::bigint, ?::bigint) AS g(x)";
        String created = h2 ? "DATEADD(SECOND, x * 30, TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00')"
                : "TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00' + x * INTERVAL '30 seconds'";
        String notAfter = h2 ? "DATEADD(DAY, 365, " + created + ")" : created + " + INTERVAL '365 days'";
        String identity = h2 ? "SECURE_RAND(16)" : "DECODE(MD5(RANDOM()::text || x), 'hex')";
        String secret = h2 ? "SECURE_RAND(48)" : "DECODE(REPEAT(MD5(RANDOM()::text), 3), 'hex')";
        String publicKey = h2 ? "SECURE_RAND(91)" : "SUBSTRING(DECODE(REPEAT(MD5(RANDOM()::text), 6), 'hex') FROM 1 FOR 91)";
        String sha = h2 ? "HASH('SHA-256', h)" : "SHA256(CONVERT_TO(h, 'UTF8'))";
        String mode = "CASE MOD(x, 4) WHEN 1 THEN 'X509' WHEN 2 THEN 'RAW_PUBLIC_KEY' ELSE 'PSK' END";
        String devicesSql = "INSERT INTO devices (id, eui64, template_id, template_version, state, created_at,"
                + " updated_at, station_id) SELECT x, SUBSTRING(h, 1, 2) || '-' || SUBSTRING(h, 3, 2) || '-'"
                + " || SUBSTRING(h, 5, 2) || '-' || SUBSTRING(h, 7, 2) || '-' || SUBSTRING(h, 9, 2) || '-'"
                + " || SUBSTRING(h, 11, 2) || '-' || SUBSTRING(h, 13, 2) || '-' || SUBSTRING(h, 15, 2),"
                + " CASE MOD(x, 4) WHEN 0 THEN 'demo-sensor' WHEN 1 THEN 'demo-x509' WHEN 2 THEN 'demo-rpk'"
                + " ELSE 'line-meter' END, 1 + MOD(x, 2),"
                + " CASE MOD(x, 6) WHEN 3 THEN 'PROVISIONED' WHEN 4 THEN 'FAILED' WHEN 5 THEN 'REVOKED' ELSE 'VERIFIED' END, "
                + created + ", " + created + ", CASE WHEN MOD(x, 3) = 0 THEN NULL ELSE MOD(x, 20) END FROM (" + numbers
                + ") n";
        String credentialsSql = "INSERT INTO device_credentials (device_id, server_name, mode, psk_identity,"
                + " sealed_secret, sealing_key_id, created_at, public_key, public_key_sha256, certificate,"
                + " certificate_serial, key_origin, certificate_not_after) SELECT x, 'fleetkey', m,"
                + " CASE WHEN m = 'PSK' THEN " + identity + " END, CASE WHEN m = 'PSK' THEN " + secret + " END,"
                + " CASE WHEN m = 'PSK' THEN 'bench' END, " + created + ", CASE WHEN m <> 'PSK' THEN " + publicKey
                + " END, CASE WHEN m <> 'PSK' THEN " + sha + " END, CASE WHEN m = 'X509' THEN CAST(? AS BYTEA) END,"
                + " CASE WHEN m = 'X509' THEN h END, CASE WHEN m <> 'PSK' THEN 'SERVICE' END,"
                + " CASE WHEN m = 'X509' THEN " + notAfter + " END FROM (SELECT x, h, " + mode + " AS m FROM ("
                + numbers + ") n) r";
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement device = connection.prepareStatement(devicesSql);
                    PreparedStatement credential = connection.prepareStatement(credentialsSql)) {
                for (int from = 1; from <= devices; from += 100_000) {
                    int to = Math.min(devices, from + 99_999);
                    device.setInt(1, from);
                    device.setInt(2, to);
                    device.executeUpdate();
                    credential.setBytes(1, CERTIFICATE);
                    credential.setInt(2, from);
                    credential.setInt(3, to);
                    credential.executeUpdate();
                    connection.commit();
                }
            }
        }
    }

    private static byte[] certificate() {
        try {
            return TestPki.shared().rootCertificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
