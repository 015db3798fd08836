package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StationQuotasTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final StationQuotas quotas = new StationQuotas(now::get);

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
        now.addAndGet(Duration.ofHours(1).toNanos());
        for (int i = 0; i < 10; i++) {
            assertThat(quotas.acquire(3, 10)).isZero();
        }
        assertThat(quotas.acquire(3, 10)).isGreaterThan(Duration.ZERO);
    }
}
