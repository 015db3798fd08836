package dev.fleetkey.service.stations.sim;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-line progress bar on stderr, redrawn at most every 100 ms: of a count of devices, or of a time span
 * (warm-up), when it shows how much of the span has passed.
 */
final class Progress {

    private static final int WIDTH = 40;

    private final String label;
    private final int total;
    private final long spanNanos;
    private final long start = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private volatile long lastDraw;

    Progress(String label, int total) {
        this(label, total, 0);
    }

    private Progress(String label, int total, long spanNanos) {
        this.label = label;
        this.total = total;
        this.spanNanos = spanNanos;
    }

    /** A bar that fills as {@code span} passes; the count shows devices done so far. */
    static Progress timed(String label, Duration span) {
        return new Progress(label, 0, span.toNanos());
    }

    void step() {
        draw(done.incrementAndGet(), false);
    }

    void set(int value) {
        done.set(value);
        draw(value, false);
    }

    void finish() {
        draw(done.get(), true);
        System.err.println();
    }

    private void draw(int value, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        long elapsed = now - start;
        int filled = spanNanos > 0 ? (int) Math.min(WIDTH, elapsed * WIDTH / spanNanos)
                : total == 0 ? WIDTH : (int) ((long) value * WIDTH / total);
        String of = spanNanos > 0 ? String.format("%3d/%ds", elapsed / 1_000_000_000L, spanNanos / 1_000_000_000L)
                : "/" + total;
        System.err.printf("\r%-28s [%s%s] %6d%s %8.1f/s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), value, of,
                value / (elapsed / 1e9));
    }
}
