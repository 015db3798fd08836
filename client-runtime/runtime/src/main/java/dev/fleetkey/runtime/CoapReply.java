package dev.fleetkey.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * A CoAP response received over a secure session.
 *
 * @param codeClass     the response class: 2 success, 4 client error, 5 server error
 * @param codeDetail    the detail, e.g. 5 in {@code 2.05 Content}
 * @param contentFormat the Content-Format option, if the server sent one
 * @param payload       the payload bytes (never {@code null})
 * @param etag          the ETag option the server sent, empty when none (never {@code null})
 */
public record CoapReply(int codeClass, int codeDetail, OptionalInt contentFormat, byte[] payload, byte[] etag) {

    /** Copies the payload so the reply cannot be changed from outside. */
    public CoapReply {
        payload = payload == null ? new byte[0] : payload.clone();
        etag = etag == null ? new byte[0] : etag.clone();
    }

    /** A reply without an ETag. */
    public CoapReply(int codeClass, int codeDetail, OptionalInt contentFormat, byte[] payload) {
        this(codeClass, codeDetail, contentFormat, payload, null);
    }

    /** The ETag; a copy, empty when the server sent none. */
    @Override
    public byte[] etag() {
        return etag.clone();
    }

    /** The payload; a copy. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** {@code true} for a 2.xx response. */
    public boolean isSuccess() {
        return codeClass == 2;
    }

    /** The code in CoAP's dotted form, e.g. {@code 2.05}. */
    public String code() {
        return String.format("%d.%02d", codeClass, codeDetail);
    }

    /** The payload decoded as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CoapReply
                && ((CoapReply) other).codeClass == codeClass
                && ((CoapReply) other).codeDetail == codeDetail
                && ((CoapReply) other).contentFormat.equals(contentFormat)
                && Arrays.equals(((CoapReply) other).payload, payload)
                && Arrays.equals(((CoapReply) other).etag, etag);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * codeClass + codeDetail) + contentFormat.hashCode()) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "CoapReply[" + code() + ", " + payload.length + " bytes]";
    }
}
