package dev.fleetkey.service.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/** How pages print times: always UTC, so entries read the same for every viewer; used as {@code @fmt}. */
@Component("fmt")
public class Formats {

    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** {@code 2026-11-26 06:30:00}, or an empty string for null. */
    public String time(Instant instant) {
        return instant == null ? "" : FULL.format(instant);
    }
}
