package dev.fleetkey.service.stations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Requests per minute per station as a token bucket: the bucket holds a minute's quota and refills
 * continuously, so a station may burst up to its quota and then runs at quota/60 per second. The bucket is a
 * row of {@code station_quota_buckets} (a GCRA "theoretical arrival time"), taken from with one conditional
 * UPDATE, so every service instance on the database draws from the same bucket and a restart refills none.
 * Time is each instance's wall clock: instances whose clocks differ by s can together allow at most s worth of
 * extra requests (keep them on NTP).
 */
@Component
class StationQuotas {

    private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

    private final JdbcClient jdbc;
    private final LongSupplier epochNanos;

    /** A {@link Clock} bean, if there is one (tests move time), replaces the system clock. */
    @Autowired
    StationQuotas(JdbcClient jdbc, ObjectProvider<Clock> clock) {
        this(jdbc, epochNanos(clock.getIfAvailable(Clock::systemUTC)));
    }

    StationQuotas(JdbcClient jdbc, LongSupplier epochNanos) {
        this.jdbc = jdbc;
        this.epochNanos = epochNanos;
    }

    /** Takes one request from the station's bucket; zero when allowed, else how long until one is. */
    Duration acquire(long stationId, int perMinute) {
        long interval = MINUTE_NANOS / perMinute;
        long now = epochNanos.getAsLong();
        for (int attempt = 0; attempt < 3; attempt++) {
            int taken = jdbc.sql("""
                    UPDATE station_quota_buckets SET tat_nanos = GREATEST(tat_nanos, :now) + :interval
                    WHERE station_id = :station AND GREATEST(tat_nanos, :now) + :interval - :now <= :minute""")
                    .param("now", now).param("interval", interval).param("station", stationId).param("minute", MINUTE_NANOS)
                    .update();
            if (taken == 1) {
                return Duration.ZERO;
            }
            var tat = jdbc.sql("SELECT tat_nanos FROM station_quota_buckets WHERE station_id = :station")
                    .param("station", stationId).query(Long.class).optional();
            if (tat.isPresent()) {
                long wait = Math.max(tat.get(), now) + interval - now - MINUTE_NANOS;
                if (wait > 0) {
                    return Duration.ofNanos(wait);
                }
                continue; // the row was made by another request after this one's UPDATE: take from it
            }
            try {
                jdbc.sql("INSERT INTO station_quota_buckets (station_id, tat_nanos) VALUES (:station, :tat)")
                        .param("station", stationId).param("tat", now + interval).update();
                return Duration.ZERO;
            } catch (DuplicateKeyException raced) {
                // another instance made the row first: take from it
            }
        }
        throw new IllegalStateException("Could not take a request from the quota of station " + stationId);
    }

    private static LongSupplier epochNanos(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
