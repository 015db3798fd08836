package dev.fleetkey.service.checkins;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes that wait for a shared commit: one thread takes whatever has queued (up to {@code maxBatch}),
 * writes it in one transaction, and only after that commit completes each writer's future; requests that
 * arrive meanwhile form the next batch. So at load N writes cost one commit, alone a write costs what it did,
 * and nothing is answered before it is on disk. A full queue refuses at once ({@link RejectedExecutionException})
 * instead of letting answers wait without bound.
 *
 * <p>One thread, not more: H2 2.4 with {@code WRITE_DELAY=0} fails concurrent commits under load ("MVStoreException:
 * Position 0", the bug {@code system.H2Compaction} works around), which two writer threads hit within seconds.
 */
final class GroupCommit<T> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** Writes every item in one transaction and commits, or throws and writes none. */
    interface Writer<T> {
        void writeAndCommit(List<T> items);
    }

    private record Pending<T>(T item, CompletableFuture<Void> done) {
    }

    private final BlockingQueue<Pending<T>> queue;
    private final int maxBatch;
    private final Writer<T> writer;
    private final Thread thread;
    private volatile boolean open = true;

    GroupCommit(String name, int maxBatch, int maxQueued, Writer<T> writer) {
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.maxBatch = maxBatch;
        this.writer = writer;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Completes once {@code item} is committed, exceptionally when it was refused or the commit failed. */
    CompletableFuture<Void> submit(T item) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!open || !queue.offer(new Pending<>(item, done))) {
            done.completeExceptionally(new RejectedExecutionException(
                    "the service has more check-ins waiting than it writes; try again in a second"));
        }
        return done;
    }

    private void run() {
        List<Pending<T>> batch = new ArrayList<>(maxBatch);
        while (open) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            write(batch);
            batch.clear();
        }
        Pending<T> left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(new RejectedExecutionException("the service is stopping"));
        }
    }

    private void write(List<Pending<T>> batch) {
        try {
            writer.writeAndCommit(batch.stream().map(Pending::item).toList());
        } catch (RuntimeException e) {
            LOG.warn("A group of {} writes failed: {}", batch.size(), e.toString());
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        batch.forEach(p -> p.done().complete(null));
    }

    @Override
    public void close() {
        open = false;
        thread.interrupt();
    }
}
