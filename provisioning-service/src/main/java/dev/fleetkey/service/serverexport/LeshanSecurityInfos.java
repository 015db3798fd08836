package dev.fleetkey.service.serverexport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The export as Eclipse Leshan's security store takes it: each entry is one {@code SecurityInfo} in the JSON the
 * Leshan demo server's {@code PUT /api/security/clients/} reads ({@code JacksonSecurityDeserializer}):
 * {@code {"endpoint", "tls": {"mode": "psk", "details": {"identity", "key": hex}}}}, {@code "rpk"} with
 * {@code "key"}: the SubjectPublicKeyInfo DER in hex, or {@code "x509"} (no details).
 *
 * <p>The endpoint is the canonical EUI-64: for x509 Leshan requires it to equal the certificate's CN, which is the
 * canonical EUI-64, so every mode uses it. Leshan holds a PSK identity as text and looks up a handshake's identity
 * bytes as {@code new String(bytes, UTF_8)} (Scandium's {@code PskPublicInformation}); a binary identity is
 * therefore converted the same way and listed in {@code identitiesConverted}. Leshan keeps one credential per
 * endpoint and per identity: an older credential still in a rotation's overlap, or a converted identity that
 * collides with another, is left out and listed in {@code notExported} with the reason.
 */
final class LeshanSecurityInfos {

    static final String FORMAT = "fleetkey-leshan-security/1";

    private LeshanSecurityInfos() {
    }

    /** The document; {@code credentials} come oldest first per device, so the last one of a device is its current. */
    static Map<String, Object> document(Map<String, Object> header, List<ExportedCredential> credentials) {
        Map<String, ExportedCredential> current = new LinkedHashMap<>();
        List<Map<String, String>> notExported = new ArrayList<>();
        for (ExportedCredential c : credentials) {
            ExportedCredential older = current.put(c.eui64(), c);
            if (older != null) {
                notExported.add(Map.of("eui64", c.eui64(), "reason", "an older " + older.mode() + " credential still"
                        + " in its rotation overlap: Leshan holds one credential per endpoint, the current one is exported"));
            }
        }
        List<Map<String, Object>> infos = new ArrayList<>();
        List<String> converted = new ArrayList<>();
        Set<String> identities = new HashSet<>();
        HexFormat hex = HexFormat.of();
        for (ExportedCredential c : current.values()) {
            Map<String, Object> tls = new LinkedHashMap<>();
            tls.put("mode", c.mode());
            if (c.mode().equals("psk")) {
                String identity = leshanIdentity(c.pskIdentity());
                if (!identities.add(identity)) {
                    notExported.add(Map.of("eui64", c.eui64(), "reason", "its binary PSK identity reads as the same"
                            + " UTF-8 text as another device's; Leshan could not tell them apart"));
                    continue;
                }
                if (!isText(c.pskIdentity())) {
                    converted.add(c.eui64());
                }
                tls.put("details", Map.of("identity", identity, "key", hex.formatHex(c.psk())));
            } else if (c.mode().equals("rpk")) {
                tls.put("details", Map.of("key", hex.formatHex(c.subjectPublicKeyInfo())));
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("endpoint", c.eui64());
            info.put("tls", tls);
            infos.add(info);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("format", FORMAT);
        document.putAll(header);
        document.put("securityInfos", infos);
        document.put("identitiesConverted", converted);
        document.put("notExported", notExported);
        return document;
    }

    /** The text Leshan looks a handshake's identity up by: the bytes decoded as UTF-8, malformed ones replaced. */
    static String leshanIdentity(byte[] identity) {
        return new String(identity, StandardCharsets.UTF_8);
    }

    /** Whether the identity is UTF-8 text that decodes and encodes back to the same bytes. */
    static boolean isText(byte[] identity) {
        return java.util.Arrays.equals(identity, leshanIdentity(identity).getBytes(StandardCharsets.UTF_8));
    }
}
