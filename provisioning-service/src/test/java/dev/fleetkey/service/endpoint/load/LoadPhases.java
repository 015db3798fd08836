package dev.fleetkey.service.endpoint.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Ways to drive devices: a closed loop (each worker waits for its answer) and an open loop at a fixed rate. */
final class LoadPhases {

    /**
     * What a phase did. {@code offered} counts attempts that ended (answered, refused or timed out), {@code started}
     * those begun (the same unless some never ended), {@code noIdleDevice} those the generator could not start.
     */
    record Result(int started, int offered, int ok, int failed, int timedOut, int noIdleDevice, double seconds,
                  long[] sortedNanos) {

        double perSecond() {
            return ok / seconds;
        }

        /** What an open loop offered against its target, and how every operation it started ended. */
        String overloadLine(String mode, double target, int clients) {
            return String.format(Locale.ROOT, "2x-full %-5s target %.0f/s, offered %.0f/s (%d started in %.1f s from %d"
                    + " clients, %d not started), ended %d: %d ok, %d refused or failed, %d dropped, %d never ended", mode,
                    target, started / seconds, started, seconds, clients, noIdleDevice, offered, ok, failed, timedOut,
                    started - offered);
        }

        double percentileMillis(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            return sortedNanos[(int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1)] / 1e6;
        }
    }

    private LoadPhases() {
    }

    /** {@code workers} threads each take an idle device, run {@code operation}, give it back, until {@code duration}. */
    static Result closedLoop(List<DeviceClient> devices, int workers, Duration duration,
                             Function<DeviceClient, DeviceClient.Outcome> operation) throws Exception {
        BlockingQueue<DeviceClient> idle = new LinkedBlockingQueue<>(devices);
        Tally tally = new Tally();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, devices.size()));
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Future<?>> runs = new ArrayList<>();
        for (int w = 0; w < Math.min(workers, devices.size()); w++) {
            runs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    DeviceClient device = idle.take();
                    try {
                        tally.add(operation.apply(device));
                    } finally {
                        idle.put(device);
                    }
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        return tally.result(0, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Starts {@code operation} on an idle client {@code rate} times a second for {@code duration}, whether earlier
     * ones have finished or not, then waits for every started one to end (answered, refused or timed out). A client
     * is busy from its start to its end; with no idle client a start is skipped and counted ({@code noIdleDevice}),
     * so give enough clients for everything that may be in flight. One thread starts everything: the operations
     * complete asynchronously.
     */
    static Result openLoop(List<DeviceClient> clients, double rate, Duration duration,
                           Function<DeviceClient, CompletableFuture<DeviceClient.Outcome>> operation) throws Exception {
        Queue<DeviceClient> idle = new ConcurrentLinkedQueue<>(clients);
        Tally tally = new Tally();
        int noIdleDevice = 0;
        List<CompletableFuture<?>> started = new ArrayList<>();
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (long next = start; next < end; next += interval) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            DeviceClient client = idle.poll();
            if (client == null) {
                noIdleDevice++;
                continue;
            }
            started.add(operation.apply(client).whenComplete((outcome, error) -> {
                tally.add(outcome != null ? outcome : new DeviceClient.Outcome(0, true, false));
                idle.add(client);
            }));
        }
        double offeredSeconds = (System.nanoTime() - start) / 1e9;
        CompletableFuture.allOf(started.toArray(new CompletableFuture<?>[0])).exceptionally(error -> null)
                .get(5, TimeUnit.MINUTES);
        return tally.result(started.size(), noIdleDevice, offeredSeconds);
    }

    private static final class Tally {
        private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger timedOut = new AtomicInteger();

        void add(DeviceClient.Outcome outcome) {
            if (outcome.ok()) {
                latencies.add(outcome.nanos());
            } else if (outcome.timedOut()) {
                timedOut.incrementAndGet();
            } else {
                failed.incrementAndGet();
            }
        }

        Result result(int noIdleDevice, double seconds) {
            return result(-1, noIdleDevice, seconds);
        }

        /** {@code started} -1: as many as ended (a closed loop waits for each). */
        Result result(int started, int noIdleDevice, double seconds) {
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            int ended = sorted.length + failed.get() + timedOut.get();
            return new Result(started < 0 ? ended : started, ended, sorted.length, failed.get(), timedOut.get(),
                    noIdleDevice, seconds, sorted);
        }
    }
}
