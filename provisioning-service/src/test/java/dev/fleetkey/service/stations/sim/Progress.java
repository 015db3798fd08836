package dev.fleetkey.service.stations.sim;

import java.util.concurrent.atomic.AtomicInteger;

/** A one-line progress bar on stderr, redrawn at most every 100 ms. */
final class Progress {

    private static final int WIDTH = 40;

    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private final AtomicInteger done = new AtomicInteger();
    private volatile long lastDraw;

    Progress(String label, int total) {
        this.label = label;
        this.total = total;
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
        int filled = total == 0 ? WIDTH : (int) ((long) value * WIDTH / total);
        double rate = value / ((now - start) / 1e9);
        System.err.printf("\r%-22s [%s%s] %6d/%d %8.1f/s", label, "#".repeat(filled), ".".repeat(WIDTH - filled), value, total, rate);
    }
}
