package dev.fleetkey.service.web;

import java.util.List;

/** One page of a longer list; {@code page} counts from 0. */
public record PageOf<T>(List<T> items, int page, int size, long total) {

    public static final int DEFAULT_SIZE = 25;

    public PageOf {
        items = List.copyOf(items);
    }

    public static int offset(int page, int size) {
        return Math.max(0, page) * size;
    }

    public boolean empty() {
        return items.isEmpty();
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }

    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }

    public long firstShown() {
        return items.isEmpty() ? 0 : (long) page * size + 1;
    }

    public long lastShown() {
        return (long) page * size + items.size();
    }
}
