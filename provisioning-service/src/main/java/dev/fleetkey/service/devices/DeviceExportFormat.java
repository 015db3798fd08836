package dev.fleetkey.service.devices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two export formats, one line per {@link DeviceQueries.ExportRow}: CSV (RFC 4180: a header row, CRLF line
 * ends, fields quoted when they hold a comma, quote or line break; a cell a spreadsheet would run as a formula,
 * starting with = + - @ or a tab or CR, gets a leading apostrophe) and JSON Lines (one object per line).
 */
public enum DeviceExportFormat {

    CSV("text/csv; charset=UTF-8; header=present", "csv"),
    JSON_LINES("application/jsonl", "jsonl");

    /** The columns, in order; the JSON Lines objects use the same names. */
    public static final List<String> COLUMNS = List.of("eui64", "template", "state", "station", "createdAt",
            "updatedAt", "server", "mode", "pskIdentityHex", "publicKeySha256Hex", "certificateSerial",
            "certificateNotBefore", "certificateNotAfter", "credentialCreatedAt", "credentialRevokedAt");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String contentType;
    private final String extension;

    DeviceExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** The format called {@code name} (csv or jsonl), or null. */
    public static DeviceExportFormat named(String name) {
        for (DeviceExportFormat format : values()) {
            if (format.extension.equalsIgnoreCase(name.strip())) {
                return format;
            }
        }
        return null;
    }

    /** Writes what comes before the rows (the CSV header). */
    public void writeStart(Writer out) throws IOException {
        if (this == CSV) {
            out.write(String.join(",", COLUMNS) + "\r\n");
        }
    }

    /** Writes one row; {@code station} is the station's name or null. */
    public void write(Writer out, DeviceQueries.ExportRow row, String station) {
        List<Object> values = List.of(row.eui64(), row.template(), row.state(), nullable(station),
                time(row.createdAt()), time(row.updatedAt()), nullable(row.server()), nullable(mode(row.mode())),
                nullable(row.pskIdentityHex()), nullable(row.publicKeySha256Hex()), nullable(row.certificateSerial()),
                time(row.certificateNotBefore()), time(row.certificateNotAfter()), time(row.credentialCreatedAt()),
                time(row.credentialRevokedAt()));
        try {
            if (this == CSV) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < values.size(); i++) {
                    line.append(i == 0 ? "" : ",").append(csvCell(values.get(i) == NONE ? "" : (String) values.get(i)));
                }
                out.write(line.append("\r\n").toString());
            } else {
                Map<String, Object> object = new LinkedHashMap<>();
                for (int i = 0; i < values.size(); i++) {
                    object.put(COLUMNS.get(i), values.get(i) == NONE ? null : values.get(i));
                }
                out.write(JSON.writeValueAsString(object) + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSV field: quoted when needed, and kept from being read as a formula. */
    static String csvCell(String value) {
        String text = value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    /** Stands for a missing value in the row list (List.of takes no null). */
    private static final Object NONE = new Object();

    private static Object nullable(String value) {
        return value == null ? NONE : value;
    }

    private static Object time(Instant value) {
        return value == null ? NONE : value.toString();
    }

    private static String mode(String stored) {
        return stored == null ? null : switch (stored) {
            case "RAW_PUBLIC_KEY" -> "rpk";
            default -> stored.toLowerCase(Locale.ROOT);
        };
    }
}
