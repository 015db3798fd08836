package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The bucket lives in the database: two {@link StationQuotas} on one database are two service instances. */
class StationQuotasTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000_000_000L);
    private final JdbcClient jdbc = migratedDatabase();
    private final StationQuotas quotas = new StationQuotas(jdbc, now::get);
    private final StationQuotas otherInstance = new StationQuotas(jdbc, now::get);

    @Test
    void aStationMayBurstItsMinuteQuotaThenWaitsForTheRefill() {
        for (int i = 0; i < 60; i++) {
            assertThat(quotas.acquire(1, 60)).isZero();
        }

        Duration wait = quotas.acquire(1, 60);

        assertThat(wait).isGreaterThan(Duration.ZERO).isLessThanOrEqualTo(Duration.ofSeconds(1));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(quotas.acquire(1, 60)).isZero();
        assertThat(quotas.acquire(1, 60)).isGreaterThan(Duration.ZERO);
    }

    @Test
    void stationsHaveSeparateBuckets() {
        assertThat(quotas.acquire(1, 1)).isZero();
        assertThat(quotas.acquire(1, 1)).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(60));
        assertThat(quotas.acquire(2, 1)).isZero();
    }

    @Test
    void bucketNeverHoldsMoreThanOneMinuteOfQuota() {
        assertThat(quotas.acquire(3, 10)).isZero();
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 10; i++) {
            assertThat(quotas.acquire(3, 10)).isZero();
        }
        assertThat(quotas.acquire(3, 10)).isGreaterThan(Duration.ZERO);
    }

    @Test
    void twoInstancesOnOneDatabaseDrawFromTheSameBucket() {
        for (int i = 0; i < 5; i++) {
            assertThat(quotas.acquire(4, 10)).isZero();
            assertThat(otherInstance.acquire(4, 10)).isZero();
        }

        assertThat(otherInstance.acquire(4, 10)).isEqualTo(Duration.ofSeconds(6));
        assertThat(quotas.acquire(4, 10)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void requestsRacingForAStationsFirstRequestAreAllAllowed() throws Exception {
        List<Callable<Duration>> requests = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            StationQuotas instance = i % 2 == 0 ? quotas : otherInstance;
            requests.add(() -> instance.acquire(6, 100_000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (Future<Duration> answer : pool.invokeAll(requests)) {
                assertThat(answer.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void instancesRacingForAStationsLastRequestsAllowExactlyItsQuota() throws Exception {
        List<Callable<Boolean>> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StationQuotas instance = i % 2 == 0 ? quotas : otherInstance;
            requests.add(() -> instance.acquire(5, 15).isZero());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        long allowed = 0;
        try {
            for (Future<Boolean> answer : pool.invokeAll(requests)) {
                allowed += answer.get() ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(allowed).isEqualTo(15);
    }

    private static JdbcClient migratedDatabase() {
        var dataSource = new DriverManagerDataSource("jdbc:h2:mem:quotas-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "fleetkey", "");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return JdbcClient.create(dataSource);
    }
}
