package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The device filter, as typed into the UI's search form or sent as query parameters of {@code GET /api/v1/devices}
 * and its export: both read it here, so both answer the same. Every value is optional text; input that cannot be
 * searched for is reported per parameter ({@link #problems()}), never ignored.
 *
 * @param eui64              an EUI-64 in any spelling, or its first hex digits (a prefix)
 * @param identity           a PSK identity in hex
 * @param state              PROVISIONED, VERIFIED, FAILED or REVOKED
 * @param template           a template id, or {@code id@version}
 * @param mode               psk, rpk or x509: devices with a credential of that mode
 * @param station            the name of the station that provisioned the devices
 * @param createdFrom        an ISO-8601 instant or date (UTC), inclusive
 * @param createdTo          an ISO-8601 instant or date (UTC), exclusive
 * @param revoked            true (revoked devices only) or false (all others)
 * @param certExpiringBefore an ISO-8601 instant or date: devices with an unrevoked certificate ending before it
 */
public record DeviceQuery(String eui64, String identity, String state, String template, String mode, String station,
        String createdFrom, String createdTo, String revoked, String certExpiringBefore) {

    /** The parameter names, in the order the API documents them. */
    public static final List<String> PARAMETERS = List.of("eui64", "identity", "state", "template", "mode", "station",
            "createdFrom", "createdTo", "revoked", "certExpiringBefore");

    /** The terms that fix one value of an indexed column; {@link DevicePageStatement} orders by it to read that index. */
    static final String STATE = "d.state = :state";
    static final String REVOKED = "d.state = 'REVOKED'";
    static final String STATION = "d.station_id = :station";
    /**
     * An unrevoked certificate of credential {@code c} ends before the date. The lower bound (no certificate ends
     * before 1970) starts H2's range on the certificate_not_after index after its null entries, one per credential
     * without a certificate, which it otherwise read first (750,000 in PERFORMANCE.md's table).
     */
    static final String EXPIRING = "c.revoked_at IS NULL AND c.certificate_not_after >= TIMESTAMP WITH TIME ZONE"
            + " '1970-01-01 00:00:00+00' AND c.certificate_not_after < :certExpiringBefore";
    static final String TEMPLATE = "d.template_id = :template";
    static final String TEMPLATE_VERSION = "d.template_version = :templateVersion";

    private static final String DATE_HELP = " is not a date: write an ISO-8601 date (2026-11-26, midnight UTC) or instant"
            + " (2026-11-26T06:00:00Z)";

    /** The filter of the UI's first four fields. */
    public DeviceQuery(String eui64, String identity, String state, String template) {
        this(eui64, identity, state, template, null, null, null, null, null, null);
    }

    /** An empty filter: every device. */
    public static DeviceQuery all() {
        return new DeviceQuery(null, null, null, null);
    }

    /** The filter in {@code parameters} (one value each); names not in {@link #PARAMETERS} are the caller's to check. */
    public static DeviceQuery of(Map<String, String> parameters) {
        return new DeviceQuery(parameters.get("eui64"), parameters.get("identity"), parameters.get("state"),
                parameters.get("template"), parameters.get("mode"), parameters.get("station"),
                parameters.get("createdFrom"), parameters.get("createdTo"), parameters.get("revoked"),
                parameters.get("certExpiringBefore"));
    }

    /** This filter as query parameters (the present ones), for links to further pages. */
    public Map<String, String> parameters() {
        String[] values = {eui64, identity, state, template, mode, station, createdFrom, createdTo, revoked,
            certExpiringBefore};
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (present(values[i])) {
                parameters.put(PARAMETERS.get(i), values[i].strip());
            }
        }
        return parameters;
    }

    /** Problems by parameter; empty when the filter can run. */
    public Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        if (present(eui64) && euiPrefix() == null) {
            problems.put("eui64", "Give an EUI-64 such as 00-11-22-FF-FE-33-44-55 (any separator), or its first hex"
                    + " digits (e.g. 00-11-22)");
        }
        if (present(identity) && identityBytes() == null) {
            problems.put("identity", "Give the PSK identity as hex digits, e.g. 0a1b2c3d (spaces and colons are ignored)");
        }
        if (present(state) && stateValue() == null) {
            problems.put("state", "Choose one of " + String.join(", ", Arrays.stream(Device.State.values())
                    .map(Enum::name).toList()) + " (state '" + state.strip() + "' does not exist)");
        }
        if (present(template) && !template.strip().matches("[a-z0-9][a-z0-9-]{0,63}(@[1-9][0-9]{0,8})?")) {
            problems.put("template", "Give a template id such as demo-sensor, or id@version such as demo-sensor@2");
        }
        if (present(mode) && modeValue() == null) {
            problems.put("mode", "Choose one of psk, rpk, x509 (mode '" + mode.strip() + "' does not exist)");
        }
        if (present(station) && station.strip().length() > 64) {
            problems.put("station", "Give a station's name (at most 64 characters)");
        }
        if (present(createdFrom) && instant(createdFrom) == null) {
            problems.put("createdFrom", "createdFrom '" + createdFrom.strip() + "'" + DATE_HELP);
        }
        if (present(createdTo) && instant(createdTo) == null) {
            problems.put("createdTo", "createdTo '" + createdTo.strip() + "'" + DATE_HELP);
        }
        if (present(revoked) && !revoked.strip().matches("(?i)true|false")) {
            problems.put("revoked", "Write revoked=true (revoked devices only) or revoked=false (all others)");
        }
        if (present(certExpiringBefore) && instant(certExpiringBefore) == null) {
            problems.put("certExpiringBefore", "certExpiringBefore '" + certExpiringBefore.strip() + "'" + DATE_HELP);
        }
        return problems;
    }

    /**
     * Adds the SQL terms of this filter on {@code devices d}; needs {@link #problems()} empty.
     *
     * @param stationId   the id of the named {@link #station()}, resolved by the caller; null when none is named
     * @param fewExpiring whether few certificates end before {@link #certExpiringBefore()}: then its term lists the
     *                    devices from the credentials' side (the index on certificate_not_after) instead of checking
     *                    device after device along the creation-time index, which with few matches reads most of
     *                    the table (minutes for a page of a million devices in H2)
     */
    void addTerms(List<String> terms, Map<String, Object> params, Long stationId, boolean fewExpiring) {
        if (present(eui64)) {
            String prefix = euiPrefix();
            if (prefix.length() == 23) {
                terms.add("d.eui64 = :eui64");
                params.put("eui64", prefix);
            } else {
                // the range lets the unique index on eui64 answer; LIKE keeps it exact whatever the collation
                terms.add("d.eui64 >= :eui64From AND d.eui64 < :eui64To AND d.eui64 LIKE :eui64");
                params.put("eui64From", prefix);
                params.put("eui64To", prefix + "\uFFFF");
                params.put("eui64", prefix + "%");
            }
        }
        if (present(identity)) {
            terms.add("EXISTS (SELECT 1 FROM device_credentials c WHERE c.device_id = d.id AND c.psk_identity = :identity)");
            params.put("identity", identityBytes());
        }
        if (present(state)) {
            terms.add(STATE);
            params.put("state", stateValue().name());
        }
        if (present(template)) {
            String[] parts = template.strip().split("@", 2);
            terms.add(TEMPLATE);
            params.put("template", parts[0]);
            if (parts.length == 2) {
                terms.add(TEMPLATE_VERSION);
                params.put("templateVersion", Integer.parseInt(parts[1]));
            }
        }
        if (present(mode)) {
            terms.add("EXISTS (SELECT 1 FROM device_credentials c WHERE c.device_id = d.id AND c.mode = :mode)");
            params.put("mode", modeValue());
        }
        if (stationId != null) {
            terms.add(STATION);
            params.put("station", stationId);
        }
        if (present(createdFrom)) {
            terms.add("d.created_at >= :createdFrom");
            params.put("createdFrom", instant(createdFrom).atOffset(ZoneOffset.UTC));
        }
        if (present(createdTo)) {
            terms.add("d.created_at < :createdTo");
            params.put("createdTo", instant(createdTo).atOffset(ZoneOffset.UTC));
        }
        if (present(revoked)) {
            // the device state, not its credentials: a rotation revokes an old credential of a device still in use
            terms.add(Boolean.parseBoolean(revoked.strip().toLowerCase(Locale.ROOT)) ? REVOKED : "d.state <> 'REVOKED'");
        }
        if (present(certExpiringBefore)) {
            terms.add(fewExpiring ? "d.id IN (SELECT c.device_id FROM device_credentials c WHERE " + EXPIRING + ")"
                    : "EXISTS (SELECT 1 FROM device_credentials c WHERE c.device_id = d.id AND " + EXPIRING + ")");
            params.put("certExpiringBefore", certExpiringBeforeValue());
        }
    }

    /** The canonical EUI-64, or its first characters in canonical form (00-11-2), or null for neither. */
    private String euiPrefix() {
        String text = eui64.strip();
        try {
            return Eui64.parse(text).canonical();
        } catch (IllegalArgumentException e) {
            String digits = text.replaceAll("[-:.\\s]", "").toUpperCase(Locale.ROOT);
            if (!digits.matches("[0-9A-F]{1,16}")) {
                return null;
            }
            StringBuilder canonical = new StringBuilder();
            for (int i = 0; i < digits.length(); i++) {
                if (i > 0 && i % 2 == 0) {
                    canonical.append('-');
                }
                canonical.append(digits.charAt(i));
            }
            return canonical.toString();
        }
    }

    /** The instant of {@link #certExpiringBefore()}, null when none is given. */
    OffsetDateTime certExpiringBeforeValue() {
        return present(certExpiringBefore) ? instant(certExpiringBefore).atOffset(ZoneOffset.UTC) : null;
    }

    private Device.State stateValue() {
        try {
            return Device.State.valueOf(state.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The stored mode name for the template's spelling. */
    private String modeValue() {
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "psk" -> "PSK";
            case "rpk" -> "RAW_PUBLIC_KEY";
            case "x509" -> "X509";
            default -> null;
        };
    }

    private byte[] identityBytes() {
        String hex = identity.replaceAll("[:\\s]", "");
        if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]+")) {
            return null;
        }
        return HexFormat.of().parseHex(hex);
    }

    private static Instant instant(String text) {
        String value = text.strip();
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
