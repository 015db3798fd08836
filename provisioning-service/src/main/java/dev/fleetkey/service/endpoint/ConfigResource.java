package dev.fleetkey.service.endpoint;

import java.util.List;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code GET /config}: the device's fleet config bundle and any pending device bundle as a CBOR map
 * (Content-Format 60) with an ETag. A request carrying that ETag (RFC 7252 section 5.10.6, CoAP's form of
 * If-None-Match for GET) gets 2.03 Valid and no payload, so an up-to-date device downloads nothing.
 */
final class ConfigResource extends SessionResource {

    private final DeviceRequests requests;

    ConfigResource(DeviceRequests requests, OpenSessions sessions) {
        super("config", sessions);
        this.requests = requests;
        getAttributes().setTitle("Fleet and pending device bundles");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        asDevice(exchange, session -> {
            List<byte[]> known = exchange.getRequestOptions().getETags();
            DeviceRequests.ConfigReply reply = requests.config(session, known);
            exchange.setETag(reply.etag());
            byte[] payload = reply.payload();
            if (payload == null) {
                exchange.respond(ResponseCode.VALID);
            } else {
                exchange.respond(ResponseCode.CONTENT, payload, CheckinReport.CBOR);
            }
        });
    }
}
