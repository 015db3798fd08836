package dev.fleetkey.device;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;

/** A bundle payload as JSON, secrets shown as {@code "(redacted)"} unless revealed. */
final class BundleJson {

    private static final String REDACTED = "\"(redacted)\"";

    private final boolean reveal;

    BundleJson(boolean reveal) {
        this.reveal = reveal;
    }

    String render(BundlePayload p, String signature) {
        List<String> servers = new ArrayList<>();
        for (ServerEntry server : p.servers()) {
            servers.add(server(server));
        }
        return object(
                field("signature", string(signature)),
                field("formatVersion", String.valueOf(p.formatVersion())),
                field("kind", string(p.kind().name())),
                field("bundleId", string(p.bundleIdHex())),
                field("sequence", String.valueOf(p.sequence())),
                field("issuedAt", string(p.issuedAt().toString())),
                field("notAfter", string(p.notAfter().toString())),
                field("device", p.device() == null ? "null" : string(p.device().canonical())),
                field("template", object(field("id", string(p.template().id())),
                        field("version", String.valueOf(p.template().version())))),
                field("dtlsPolicy", object(
                        field("initialRetransmissionMs", String.valueOf(p.dtlsPolicy().initialRetransmission().toMillis())),
                        field("resumption", String.valueOf(p.dtlsPolicy().resumption())),
                        field("connectionId", String.valueOf(p.dtlsPolicy().connectionId())))),
                field("secretsInClear", String.valueOf(p.secretsInClear())),
                field("servers", "[" + String.join(", ", servers) + "]"));
    }

    private String server(ServerEntry s) {
        List<String> suites = new ArrayList<>();
        s.cipherSuites().forEach(c -> suites.add(string(c.name())));
        return object(field("name", string(s.name())), field("uri", string(s.uri().toString())),
                field("host", string(s.host())), field("mode", string(s.mode().name())),
                field("cipherSuites", "[" + String.join(", ", suites) + "]"),
                field("credentials", credentials(s.credentials())));
    }

    private String credentials(ServerCredentials credentials) {
        if (credentials instanceof ServerCredentials.Psk) {
            ServerCredentials.Psk psk = (ServerCredentials.Psk) credentials;
            return object(field("pskIdentity", hex(psk.identity())), field("psk", secret(psk.key())));
        }
        if (credentials instanceof ServerCredentials.RawPublicKey) {
            ServerCredentials.RawPublicKey rpk = (ServerCredentials.RawPublicKey) credentials;
            return object(field("clientPrivateKey", secret(rpk.clientPrivateKey())),
                    field("clientPublicKey", base64(rpk.clientPublicKey())),
                    field("serverPublicKeys", list(rpk.serverPublicKeys(), false)),
                    field("serverKeyPins", list(rpk.serverKeyPins(), true)));
        }
        ServerCredentials.Certificates x509 = (ServerCredentials.Certificates) credentials;
        return object(field("clientPrivateKey", secret(x509.clientPrivateKey())),
                field("clientChain", list(x509.clientChain(), false)),
                field("trustAnchors", list(x509.trustAnchors(), false)));
    }

    private String secret(byte[] value) {
        if (value == null) {
            return "null";
        }
        return reveal ? hex(value) : REDACTED;
    }

    private static String list(List<byte[]> values, boolean asHex) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(asHex ? hex(v) : base64(v)));
        return "[" + String.join(", ", out) + "]";
    }

    private static String hex(byte[] value) {
        return value == null ? "null" : string(HexFormat.of().formatHex(value));
    }

    private static String base64(byte[] value) {
        return value == null ? "null" : string(Base64.getEncoder().encodeToString(value));
    }

    private static String field(String name, String json) {
        return string(name) + ": " + json;
    }

    private static String object(String... fields) {
        return "{" + String.join(", ", fields) + "}";
    }

    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }
}
