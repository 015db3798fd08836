package dev.fleetkey.service.stations;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import org.springframework.stereotype.Component;

/**
 * Requests per minute per station as a token bucket: the bucket holds a minute's quota and refills
 * continuously, so a station may burst up to its quota and then runs at quota/60 per second. Kept in
 * memory: a restart refills every bucket, and several service instances would each allow the quota
 * (a shared store would be needed then).
 */
@Component
class StationQuotas {

    private final ConcurrentMap<Long, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    StationQuotas() {
        this(System::nanoTime);
    }

    StationQuotas(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Takes one request from the station's bucket; empty when allowed, else how long until one is. */
    Duration acquire(long stationId, int perMinute) {
        Bucket bucket = buckets.computeIfAbsent(stationId, id -> new Bucket(perMinute, nanoClock.getAsLong()));
        synchronized (bucket) {
            return bucket.take(perMinute, nanoClock.getAsLong());
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int perMinute, long now) {
            this.tokens = perMinute;
            this.last = now;
        }

        /** Duration.ZERO when a token was taken. */
        Duration take(int perMinute, long now) {
            double perNano = perMinute / 60e9;
            tokens = Math.min(perMinute, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
        }
    }
}
