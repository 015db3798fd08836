package dev.fleetkey.service.serverexport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The export as libcoap's example server reads PSKs: the identity-match file of {@code coap-server -i}, one line
 * {@code hint,identity,key} per credential, bytes as they are (libcoap 4.3 reads no hex there), lines starting
 * with {@code #} ignored. The hint field is empty: the server runs with {@code -h ""}, no identity hint (RFC 7925).
 * Each credential line follows a comment naming its device. libcoap splits at the first two commas, stops a line
 * at a line feed and a value at a NUL byte, and reads at most 255 bytes a line: a credential whose identity holds
 * a comma, or whose identity or key holds a NUL, CR or LF byte, cannot be written and is named in a comment
 * instead (provision such servers with {@code identity: pattern} to get text identities).
 */
final class CoapServerPskFile {

    static final int MAX_LINE = 254;

    private CoapServerPskFile() {
    }

    static byte[] file(String templateReference, String serverName, List<ExportedCredential> credentials) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text(out, "# coap-server -i identity-match file from Fleetkey: template " + templateReference + ", server "
                + serverName + "\n# hint,identity,key per line; run coap-server with -h \"\" -i <this file> -k <a"
                + " random key for unknown identities>\n");
        for (ExportedCredential c : credentials) {
            if (!c.mode().equals("psk")) {
                continue;
            }
            String refusal = refusal(c.pskIdentity(), c.psk());
            if (refusal != null) {
                text(out, "# " + c.eui64() + " not written: " + refusal + "\n");
                continue;
            }
            text(out, "# " + c.eui64() + "\n,");
            out.writeBytes(c.pskIdentity());
            out.write(',');
            out.writeBytes(c.psk());
            out.write('\n');
        }
        return out.toByteArray();
    }

    /** Why the credential cannot be a line of the file, or null when it can. */
    static String refusal(byte[] identity, byte[] key) {
        if (contains(identity, ',')) {
            return "its PSK identity holds a comma, which ends the identity field";
        }
        if (contains(identity, 0) || contains(identity, '\n') || contains(identity, '\r')) {
            return "its PSK identity holds a NUL, CR or LF byte, which the file cannot carry";
        }
        if (contains(key, 0) || contains(key, '\n') || contains(key, '\r')) {
            return "its PSK holds a NUL, CR or LF byte, which the file cannot carry";
        }
        if (2 + identity.length + key.length > MAX_LINE) {
            return "the line would be longer than the " + MAX_LINE + " bytes libcoap reads";
        }
        return null;
    }

    private static boolean contains(byte[] bytes, int value) {
        for (byte b : bytes) {
            if (b == (byte) value) {
                return true;
            }
        }
        return false;
    }

    private static void text(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
