package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.audit.AuditChain;
import dev.fleetkey.service.audit.ChainVerification;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How many statements a batch sends to the database per device, counted at the JDBC connection on the batch
 * workers' threads (a JDBC batch is one round trip, however many rows it carries; savepoints are counted apart).
 * The bounds are what a device of a new batch may cost: a few batched inserts per chunk, not a dozen statements
 * each. The counts are printed for PERFORMANCE.md. A device another request takes between the chunk's read and its
 * insert fails its item alone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchStatementsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int DEVICES = 200;
    private static final LongAdder STATEMENTS = new LongAdder();
    private static final LongAdder SAVEPOINTS = new LongAdder();
    private static final Map<String, AtomicInteger> BY_SQL = new ConcurrentHashMap<>();
    /** Runs once, on another thread, right after a batch worker's next query of existing devices. */
    private static final AtomicReference<Runnable> AFTER_DEVICES_READ = new AtomicReference<>();
    private static final Set<String> EXECUTING = Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate",
            "executeBatch", "executeLargeBatch");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, TestService.newDataDir());
    }

    /** Counts what the batch workers send through the service's DataSource. */
    @TestConfiguration
    static class CountingStatements {
        @Bean
        static BeanPostProcessor countBatchStatements() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds ? counting(ds) : bean;
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditChain chain;

    @Test
    void aNewDeviceInABatchCostsFewStatementsInEveryMode() throws Exception {
        ApiClient admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "counted-line", 100_000,
                "demo-sensor", "demo-rpk", "demo-x509").token());
        Map<String, Double> perDevice = new LinkedHashMap<>();
        int lot = 0;
        for (String template : List.of("demo-sensor", "demo-rpk", "demo-x509")) {
            lot++;
            List<String> eui64s = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                eui64s.add(String.format("00-11-22-FF-FE-%02X-%02X-%02X", 0x40 + lot, i / 256, i % 256));
            }
            STATEMENTS.reset();
            SAVEPOINTS.reset();
            BY_SQL.clear();
            JsonNode done = StationFixtures.awaitBatchFinished(station, station.postJson("/api/v1/batches",
                    JSON.writeValueAsString(Map.of("template", template, "eui64s", eui64s))));
            assertThat(done.get("succeeded").intValue()).isEqualTo(DEVICES);
            double statements = STATEMENTS.doubleValue() / DEVICES;
            perDevice.put(template, statements);
            System.out.printf("%s: %.2f statements and %.2f savepoints per device; by statement: %s%n", template,
                    statements, SAVEPOINTS.doubleValue() / DEVICES, BY_SQL);
        }
        // one device's crypto-free work used to take 13-15 statements one at a time; a chunk now writes its rows in
        // one JDBC batch per table, so a device costs a fraction of a statement (plus the batch's own bookkeeping)
        assertThat(perDevice).allSatisfy((template, statements) -> assertThat(statements).as(template).isLessThan(1.0));
    }

    @Test
    void aDeviceProvisionedByASingleRequestBetweenTheChunksReadAndItsInsertFailsOnlyItsItem() throws Exception {
        ApiClient admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "raced-line", 100_000,
                "demo-sensor").token());
        List<String> eui64s = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            eui64s.add(String.format("00-11-22-FF-FE-50-00-%02X", i));
        }
        eui64s.add(eui64s.get(3)); // the same device twice in one batch: policy fail refuses the second
        String raced = eui64s.get(7);
        AtomicInteger singleStatus = new AtomicInteger();
        // after the chunk found none of its devices, an administrator provisions one of them in a request of its own
        AFTER_DEVICES_READ.set(() -> singleStatus.set(admin.provision(raced, "demo-sensor").statusCode()));

        JsonNode done = StationFixtures.awaitBatchFinished(station, station.postJson("/api/v1/batches",
                JSON.writeValueAsString(Map.of("template", "demo-sensor", "eui64s", eui64s))));

        assertThat(singleStatus.get()).isEqualTo(201);
        assertThat(done.get("succeeded").intValue()).isEqualTo(39);
        assertThat(done.get("failed").intValue()).isEqualTo(2);
        JsonNode items = done.get("items");
        assertThat(items.get(7).get("result").stringValue()).isEqualTo("failed");
        assertThat(items.get(7).get("reason").stringValue()).contains("EUI-64");
        assertThat(items.get(40).get("result").stringValue()).isEqualTo("failed");
        assertThat(items.get(40).get("reason").stringValue()).contains("already provisioned");
        assertThat(items.get(3).get("result").stringValue()).isEqualTo("provisioned");
        assertThat(items.get(8).get("bundleSha256").stringValue()).isNotBlank();
        // the raced device is the administrator's: one device, no station row, one credential
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices WHERE eui64 LIKE '00-11-22-FF-FE-50-%'").query(Long.class)
                .single()).isEqualTo(40);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM station_devices s JOIN devices d ON d.id = s.device_id"
                + " WHERE d.eui64 LIKE '00-11-22-FF-FE-50-%'").query(Long.class).single()).isEqualTo(39);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM station_devices s JOIN devices d ON d.id = s.device_id"
                + " WHERE d.eui64 = :eui64").param("eui64", raced).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM device_credentials c JOIN devices d ON d.id = c.device_id"
                + " WHERE d.eui64 LIKE '00-11-22-FF-FE-50-%'").query(Long.class).single()).isEqualTo(40);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM bundles_issued b JOIN devices d ON d.id = b.device_id"
                + " WHERE d.eui64 LIKE '00-11-22-FF-FE-50-%' AND b.sequence_number = 1").query(Long.class).single())
                .isGreaterThanOrEqualTo(39);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'device.provisioned' AND subject LIKE"
                + " 'device:00-11-22-FF-FE-50-%'").query(Long.class).single()).isEqualTo(40);
        ChainVerification verified = chain.verify();
        assertThat(verified.intact()).as(verified.problem()).isTrue();
    }

    private static DataSource counting(DataSource delegate) {
        return (DataSource) Proxy.newProxyInstance(BatchStatementsIT.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(delegate, method, args);
                    return result instanceof Connection c ? connection(c) : result;
                });
    }

    private static Connection connection(Connection delegate) {
        return (Connection) Proxy.newProxyInstance(BatchStatementsIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (onBatchWorker() && (method.getName().equals("setSavepoint")
                            || method.getName().equals("releaseSavepoint"))) {
                        SAVEPOINTS.increment();
                    }
                    Object result = invoke(delegate, method, args);
                    if (result instanceof Statement s && !method.getName().equals("unwrap")) {
                        String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : "(plain)";
                        return statement(s, sql, method.getReturnType());
                    }
                    return result;
                });
    }

    private static Object statement(Statement delegate, String sql, Class<?> type) {
        return Proxy.newProxyInstance(BatchStatementsIT.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (onBatchWorker() && EXECUTING.contains(method.getName())) {
                        STATEMENTS.increment();
                        String shown = sql.strip().replaceAll("\\s+", " ");
                        BY_SQL.computeIfAbsent(shown.substring(0, Math.min(40, shown.length())),
                                k -> new AtomicInteger()).incrementAndGet();
                    }
                    Object result = invoke(delegate, method, args);
                    if (onBatchWorker() && method.getName().equals("executeQuery") && sql.contains("FROM devices WHERE eui64 IN")) {
                        Runnable hook = AFTER_DEVICES_READ.getAndSet(null);
                        if (hook != null) {
                            Thread other = new Thread(hook, "single-request");
                            other.start();
                            other.join();
                        }
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static boolean onBatchWorker() {
        String thread = Thread.currentThread().getName();
        return thread.startsWith("fleetkey-batch-") && !thread.equals("fleetkey-batch-claims");
    }
}
