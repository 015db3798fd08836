package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The device search form: an EUI-64 in any spelling (or a run of its hex digits), a PSK identity in hex,
 * a state and a template id. Input that cannot be searched for is reported per field, not ignored.
 */
public record DeviceQuery(String eui64, String identity, String state, String template) {

    private static final Set<String> STATES = Set.of("PROVISIONED", "VERIFIED", "FAILED", "REVOKED");

    /** Problems by form field; empty when the query can run. */
    public Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        if (present(eui64) && euiTerm() == null) {
            problems.put("eui64", "Give an EUI-64 such as 00-11-22-FF-FE-33-44-55 (any separator), or part of its hex digits");
        }
        if (present(identity) && identityBytes() == null) {
            problems.put("identity", "Give the PSK identity as hex digits, e.g. 0a1b2c3d (spaces and colons are ignored)");
        }
        if (present(state) && !STATES.contains(state.trim().toUpperCase(Locale.ROOT))) {
            problems.put("state", "Choose one of " + String.join(", ", STATES.stream().sorted().toList()));
        }
        return problems;
    }

    void addTerms(List<String> terms, Map<String, Object> params) {
        if (present(eui64)) {
            String term = euiTerm();
            if (term.length() == 23) {
                terms.add("d.eui64 = :eui64");
                params.put("eui64", term);
            } else {
                // a partial EUI-64 matches the canonical form's digits in order
                terms.add("REPLACE(d.eui64, '-', '') LIKE :eui64");
                params.put("eui64", "%" + term + "%");
            }
        }
        if (present(identity)) {
            terms.add("EXISTS (SELECT 1 FROM device_credentials c WHERE c.device_id = d.id AND c.psk_identity = :identity)");
            params.put("identity", identityBytes());
        }
        if (present(state)) {
            terms.add("d.state = :state");
            params.put("state", state.trim().toUpperCase(Locale.ROOT));
        }
        if (present(template)) {
            terms.add("d.template_id = :template");
            params.put("template", template.trim());
        }
    }

    /** The canonical EUI-64, or upper-case hex digits to look for, or null if neither. */
    private String euiTerm() {
        String text = eui64.trim();
        try {
            return Eui64.parse(text).canonical();
        } catch (IllegalArgumentException e) {
            // other separators (e.g. 0011.22ff.fe33.4455): all 16 digits are still one EUI-64
            String digits = text.replaceAll("[-:.\\s]", "").toUpperCase(Locale.ROOT);
            if (digits.matches("[0-9A-F]{16}")) {
                return Eui64.parse(digits).canonical();
            }
            return digits.matches("[0-9A-F]{1,15}") ? digits : null;
        }
    }

    private byte[] identityBytes() {
        String hex = identity.replaceAll("[:\\s]", "");
        if (hex.isEmpty() || hex.length() % 2 != 0 || !hex.matches("[0-9a-fA-F]+")) {
            return null;
        }
        return HexFormat.of().parseHex(hex);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
