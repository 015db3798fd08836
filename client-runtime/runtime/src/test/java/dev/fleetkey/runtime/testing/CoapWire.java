package dev.fleetkey.runtime.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough of the CoAP message format (RFC 7252 section 3) for a test to play server behind openssl:
 * read a request and write a piggybacked response.
 */
public final class CoapWire {

    private static final int URI_PATH = 11;

    /** A parsed request: message id, token and the Uri-Path joined with '/'. */
    public record Request(int type, int code, int messageId, byte[] token, String path) {
    }

    private CoapWire() {
    }

    public static Request parseRequest(byte[] message) {
        int tokenLength = message[0] & 0x0F;
        int type = (message[0] >> 4) & 0x03;
        int code = message[1] & 0xFF;
        int messageId = ((message[2] & 0xFF) << 8) | (message[3] & 0xFF);
        byte[] token = Arrays.copyOfRange(message, 4, 4 + tokenLength);
        List<String> segments = new ArrayList<>();
        int at = 4 + tokenLength;
        int option = 0;
        while (at < message.length && (message[at] & 0xFF) != 0xFF) {
            int delta = (message[at] >> 4) & 0x0F;
            int length = message[at] & 0x0F;
            at++;
            if (delta == 13) {
                delta = 13 + (message[at++] & 0xFF);
            } else if (delta == 14) {
                delta = 269 + (((message[at] & 0xFF) << 8) | (message[at + 1] & 0xFF));
                at += 2;
            }
            if (length == 13) {
                length = 13 + (message[at++] & 0xFF);
            } else if (length == 14) {
                length = 269 + (((message[at] & 0xFF) << 8) | (message[at + 1] & 0xFF));
                at += 2;
            }
            option += delta;
            if (option == URI_PATH) {
                segments.add(new String(message, at, length, StandardCharsets.UTF_8));
            }
            at += length;
        }
        return new Request(type, code, messageId, token, "/" + String.join("/", segments));
    }

    /** An ACK carrying a 2.05 Content response with a text payload, answering {@code request}. */
    public static byte[] contentResponse(Request request, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x60 | request.token().length); // version 1, ACK, token length
        out.write(0x45); // 2.05 Content
        out.write(request.messageId() >> 8);
        out.write(request.messageId() & 0xFF);
        out.writeBytes(request.token());
        out.write(0xC0); // Content-Format (12), length 0: text/plain;charset=utf-8 (0)
        out.write(0xFF);
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
