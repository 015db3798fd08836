package dev.fleetkey.service.system;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * How every table stores an instant: a {@code TIMESTAMP WITH TIME ZONE} written at UTC, the same on H2 and
 * PostgreSQL. The repositories write and read their time columns through these two.
 */
public final class UtcColumns {

    private UtcColumns() {
    }

    /** {@code instant} as a parameter for a time column. */
    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** The instant in {@code column} of the current row, or null where the column is NULL. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
