package dev.fleetkey.service.endpoint;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * What the endpoint's check-in and config resources ask of the service. Implemented by the check-ins
 * feature; every call carries the {@link DeviceSession} the DTLS handshake authenticated, never an identity
 * taken from the request.
 */
public interface DeviceRequests {

    /**
     * Records a check-in of {@code session}'s device. Completes once it is durably stored; exceptionally with
     * {@link DeviceRequestRefused} (4.03), a {@code FleetkeyException}, or a
     * {@link java.util.concurrent.RejectedExecutionException} when the service has too much waiting (5.03).
     */
    CompletionStage<Void> checkIn(DeviceSession session, CheckinReport report);

    /**
     * The device's configuration: a CBOR map {@code {"fleet": bstr, ? "device": bstr}} of signed bundles.
     *
     * @param knownEtags the ETags the device sent; when one names what would be served, no payload is made
     */
    ConfigReply config(DeviceSession session, List<byte[]> knownEtags);

    /**
     * The answer to {@code GET /config}.
     *
     * @param etag    1..8 bytes naming exactly what is served
     * @param payload the CBOR map, or null when the device already has it (2.03 Valid)
     */
    record ConfigReply(byte[] etag, byte[] payload) {
        public ConfigReply {
            Objects.requireNonNull(etag, "etag");
            if (etag.length == 0 || etag.length > 8) {
                throw new IllegalArgumentException("a CoAP ETag has 1..8 bytes, not " + etag.length);
            }
            etag = etag.clone();
            payload = payload == null ? null : payload.clone();
        }

        @Override
        public byte[] etag() {
            return etag.clone();
        }

        @Override
        public byte[] payload() {
            return payload == null ? null : payload.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ConfigReply && Arrays.equals(((ConfigReply) other).etag, etag)
                    && Arrays.equals(((ConfigReply) other).payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(etag);
        }

        @Override
        public String toString() {
            return "ConfigReply[" + (payload == null ? "unchanged" : payload.length + " bytes") + "]";
        }
    }
}
