package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.ApiClient;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.audit.AuditChain;
import dev.fleetkey.service.audit.ChainVerification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A batch runs in chunks of {@code fleetkey.batches.chunk-size} items, one transaction and one commit each, while
 * every item still succeeds or fails on its own: the commits the batch workers make are counted at the
 * transaction manager.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BatchChunksIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicInteger BATCH_COMMITS = new AtomicInteger();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path dataDir = TestService.newDataDir();
        TestService.register(registry, dataDir);
        Path templates = StationFixtures.templatesDir(dataDir);
        Files.writeString(templates.resolve("demo-sealed.yaml"), Files.readString(templates.resolve("demo-sensor.yaml"))
                .replace("id: demo-sensor", "id: demo-sealed")
                .replace("allow-unencrypted-secrets: true", "allow-unencrypted-secrets: false"));
        registry.add("fleetkey.templates-dir", templates::toString);
        registry.add("fleetkey.batches.chunk-size", () -> "100");
    }

    /** Counts the commits of whole transactions made by the batch workers. */
    @TestConfiguration
    static class CountingCommits {
        @Bean
        static BeanPostProcessor countBatchCommits() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof PlatformTransactionManager tm ? counting(tm) : bean;
                }
            };
        }

        private static PlatformTransactionManager counting(PlatformTransactionManager delegate) {
            return new PlatformTransactionManager() {
                @Override
                public TransactionStatus getTransaction(TransactionDefinition definition) {
                    return delegate.getTransaction(definition);
                }

                @Override
                public void commit(TransactionStatus status) {
                    boolean whole = status.isNewTransaction() && !status.hasSavepoint();
                    delegate.commit(status);
                    if (whole && Thread.currentThread().getName().startsWith("fleetkey-batch-")) {
                        BATCH_COMMITS.incrementAndGet();
                    }
                }

                @Override
                public void rollback(TransactionStatus status) {
                    delegate.rollback(status);
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

    ApiClient admin;

    @BeforeEach
    void client() {
        admin = ApiClient.admin(port, TestService.ADMIN_PASSWORD);
    }

    @Test
    void batchOfFourHundredFiftyCommitsOncePerChunkOfAHundredWhileEachItemStillFailsAlone() throws Exception {
        ApiClient station = ApiClient.station(port, StationFixtures.createStation(admin, "chunk-line", 10_000,
                "demo-keep").token());
        String kept = "00-11-22-FF-FE-07-00-05";
        assertThat(station.provision(kept, "demo-keep").statusCode()).isEqualTo(201);
        List<String> eui64s = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            eui64s.add(String.format("00-11-22-FF-FE-07-%02X-%02X", i / 256, i % 256));
        }
        eui64s.set(150, "not-an-eui");
        eui64s.set(151, eui64s.get(0)); // the same device again in one batch: return-existing answers it again
        BATCH_COMMITS.set(0);

        JsonNode done = StationFixtures.awaitBatchFinished(station, station.postJson("/api/v1/batches",
                JSON.writeValueAsString(Map.of("template", "demo-keep", "eui64s", eui64s))));

        assertThat(done.get("succeeded").intValue()).isEqualTo(449);
        assertThat(done.get("failed").intValue()).isEqualTo(1);
        JsonNode items = done.get("items");
        assertThat(items.get(150).get("reason").stringValue()).containsIgnoringCase("EUI-64");
        assertThat(items.get(149).get("result").stringValue()).isEqualTo("provisioned");
        assertThat(items.get(151).get("bundleSha256").stringValue()).isNotBlank();
        assertThat(items.get(5).get("eui64").stringValue()).isEqualTo(kept);
        // five chunks of at most 100 items, then the manifest: not one commit per item
        assertThat(BATCH_COMMITS.get()).isEqualTo(6);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE action = 'device.provisioned' AND subject LIKE"
                + " 'device:00-11-22-FF-FE-07-%'").query(Long.class).single()).as("one per distinct device").isEqualTo(448);
        ChainVerification verified = chain.verify();
        assertThat(verified.intact()).as(verified.problem()).isTrue();
    }

    @Test
    void itemsRolledBackToTheirSavepointLeaveNoDeviceAndNoAuditEntryBehind() throws Exception {
        List<String> eui64s = List.of("00-11-22-FF-FE-08-00-01", "00-11-22-FF-FE-08-00-02", "00-11-22-FF-FE-08-00-03");

        // provisioned and audited, then refused at the bundle: the template forbids secrets in clear and an
        // administrator has no transport key to seal them to
        JsonNode done = StationFixtures.awaitBatchFinished(admin, admin.postJson("/api/v1/batches",
                JSON.writeValueAsString(Map.of("template", "demo-sealed", "eui64s", eui64s))));

        assertThat(done.get("failed").intValue()).isEqualTo(3);
        assertThat(done.get("items").get(1).get("reason").stringValue()).contains("demo-sealed");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM devices WHERE eui64 LIKE '00-11-22-FF-FE-08-%'").query(Long.class)
                .single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE subject LIKE 'device:00-11-22-FF-FE-08-%'")
                .query(Long.class).single()).isZero();
        ChainVerification verified = chain.verify();
        assertThat(verified.intact()).as(verified.problem()).isTrue();
    }
}
