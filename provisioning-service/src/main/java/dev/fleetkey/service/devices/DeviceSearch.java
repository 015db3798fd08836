package dev.fleetkey.service.devices;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.system.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Device search for the API, its export and the UI: checks a {@link DeviceQuery}, resolves its station, limits a
 * station to its own devices, and reads and writes the opaque cursor of keyset pages.
 */
@Service
public class DeviceSearch {

    /** Page size when none is asked for, and the most one page may hold. */
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** The UI counts the matching devices up to this many; a larger answer reads "more than 10,000". */
    public static final long COUNT_LIMIT = 10_000;

    private static final String CURSOR_PREFIX = "d1.";

    private final DeviceQueries queries;
    private final StationNames stations;

    DeviceSearch(DeviceQueries queries, StationNames stations) {
        this.queries = queries;
        this.stations = stations;
    }

    /** A page and the cursor of the next one (null on the last page). */
    public record Result(DeviceQueries.Page page, String nextCursor) {
    }

    /**
     * One page for {@code caller}.
     *
     * @throws InvalidFieldException naming the parameter at fault: a filter value, the cursor or the limit
     */
    @Transactional(readOnly = true)
    public Result page(Caller caller, DeviceQuery query, String cursor, Integer limit, boolean newestFirst) {
        Long stationId = stationId(caller, query);
        int size = limit(limit);
        DeviceQueries.Page page = queries.page(query, stationId, position(cursor), size, newestFirst);
        return new Result(page, page.next() == null ? null : cursor(page.next()));
    }

    /**
     * How many devices match, for the UI's "N matching": counted up to {@link #COUNT_LIMIT}, beyond which the
     * answer is "more than" it (what a large table can count quickly; the pages never need the total).
     */
    @Transactional(readOnly = true)
    public Matches count(Caller caller, DeviceQuery query) {
        long counted = queries.count(query, stationId(caller, query), COUNT_LIMIT);
        return new Matches(Math.min(counted, COUNT_LIMIT), counted > COUNT_LIMIT);
    }

    /** A count of matching devices: exactly {@code count}, or more than it when {@code more}. */
    public record Matches(long count, boolean more) {

        /** "1,234 matching" or "more than 10,000 matching". */
        public String text() {
            return (more ? "more than " : "") + String.format(Locale.ROOT, "%,d", count) + " matching";
        }
    }

    /**
     * Streams every credential row of the devices matching {@code query} to {@code rows}, in one read-only
     * transaction (PostgreSQL then fetches in batches instead of all at once).
     */
    @Transactional(readOnly = true)
    public void export(Caller caller, DeviceQuery query, Consumer<DeviceQueries.ExportRow> rows) {
        queries.exportRows(query, stationId(caller, query), rows);
    }

    /** Checks the query before anything is streamed; the same checks as {@link #export} makes. */
    public void check(Caller caller, DeviceQuery query) {
        stationId(caller, query);
    }

    /** Station names by id, for rows that show who provisioned a device. */
    public Map<Long, String> stationNames() {
        return stations.all();
    }

    private Long stationId(Caller caller, DeviceQuery query) {
        Map<String, String> problems = query.problems();
        if (!problems.isEmpty()) {
            Map.Entry<String, String> first = problems.entrySet().iterator().next();
            throw new InvalidFieldException(first.getKey(), first.getValue());
        }
        String named = query.station() == null || query.station().isBlank() ? null : query.station().strip();
        if (caller instanceof Caller.Station station) {
            if (named != null && !named.equals(station.name())) {
                throw new InvalidFieldException("station", "A station lists only the devices it provisioned: leave"
                        + " out station, or give your own name '" + station.name() + "'");
            }
            return station.stationId();
        }
        if (named == null) {
            return null;
        }
        return stations.idOf(named).orElseThrow(() -> new InvalidFieldException("station", "No station is called '"
                + named + "'; stations: " + String.join(", ", stations.all().values())));
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidFieldException("limit", "limit must be a whole number from 1 to " + MAX_LIMIT
                    + " (devices per page; default " + DEFAULT_LIMIT + "), not " + limit
                    + ". Follow the Link rel=\"next\" header for more");
        }
        return limit;
    }

    static String cursor(DeviceQueries.Position position) {
        Instant at = position.createdAt();
        String text = CURSOR_PREFIX + at.getEpochSecond() + "." + at.getNano() + "." + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    static DeviceQueries.Position position(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.US_ASCII);
            if (text.startsWith(CURSOR_PREFIX)) {
                String[] parts = text.substring(CURSOR_PREFIX.length()).split("\\.");
                if (parts.length == 3) {
                    return new DeviceQueries.Position(Instant.ofEpochSecond(Long.parseLong(parts[0]),
                            Long.parseLong(parts[1])), Long.parseLong(parts[2]));
                }
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            // reported below, like any other text that is not a cursor
        }
        throw new InvalidFieldException("cursor", "cursor is not one this service made: copy it unchanged from the"
                + " Link rel=\"next\" header (or the next link) of the previous page, or leave it out for the first page");
    }
}
