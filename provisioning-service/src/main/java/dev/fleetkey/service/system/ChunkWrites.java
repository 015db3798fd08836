package dev.fleetkey.service.system;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rows that a chunk of a batch collects instead of inserting each with a statement of its own. While a chunk
 * collects ({@link #open()} on the batch worker's thread), a repository that supports it queues its insert here
 * with its own batch writer, and {@link #flush()} hands every table's rows to that writer at once (one JDBC batch
 * per table), tables in the order their first row arrived. The rows and writers belong to the owning feature;
 * this class holds no SQL. Outside a chunk nothing is collected and every repository writes at once.
 *
 * <p>{@link #claim} checks uniqueness within the chunk in memory (a PSK identity, a public key); the database's
 * unique indexes check it against everything else when the chunk is flushed.
 */
public final class ChunkWrites {

    private static final ThreadLocal<ChunkWrites> CURRENT = new ThreadLocal<>();

    private final Map<Object, Queue<?>> queues = new LinkedHashMap<>();
    private final Map<Object, Set<Object>> claimed = new HashMap<>();

    private ChunkWrites() {
    }

    /** The chunk collecting on this thread, if one is. */
    public static Optional<ChunkWrites> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Starts collecting on this thread; {@link #close()} it when done, flushed or not. */
    public static ChunkWrites open() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("A chunk is collecting writes on this thread already");
        }
        ChunkWrites writes = new ChunkWrites();
        CURRENT.set(writes);
        return writes;
    }

    /** Stops collecting on this thread; whatever was not flushed is dropped. */
    public void close() {
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
    }

    /**
     * Queues {@code row} for {@code table}; {@code writer} writes all of a table's rows in one batch at
     * {@link #flush()} (the first writer given for a table is used).
     */
    public <R> void add(String table, Consumer<List<R>> writer, R row) {
        @SuppressWarnings("unchecked")
        Queue<R> queue = (Queue<R>) queues.computeIfAbsent(table, t -> new Queue<>(writer));
        queue.rows.add(row);
    }

    /** Claims {@code key} in {@code space} for this chunk: false if the chunk claimed it already. */
    public boolean claim(String space, Object key) {
        return claimed.computeIfAbsent(space, s -> new HashSet<>()).add(key);
    }

    /** Writes every queued row, one batch per table, and empties the queues. */
    public void flush() {
        List<Queue<?>> pending = new ArrayList<>(queues.values());
        queues.clear();
        pending.forEach(Queue::write);
    }

    private static final class Queue<R> {
        private final Consumer<List<R>> writer;
        private final List<R> rows = new ArrayList<>();

        Queue(Consumer<List<R>> writer) {
            this.writer = writer;
        }

        void write() {
            if (!rows.isEmpty()) {
                writer.accept(List.copyOf(rows));
            }
        }
    }
}
