package dev.fleetkey.service.endpoint;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

/** {@code GET /hello}: answers the authenticated caller's EUI-64, proof that its credentials work. */
final class HelloResource extends SessionResource {

    HelloResource(OpenSessions sessions) {
        super("hello", sessions);
        getAttributes().setTitle("Names the authenticated device");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        asDevice(exchange, session -> exchange.respond(ResponseCode.CONTENT, session.device().canonical(),
                MediaTypeRegistry.TEXT_PLAIN));
    }
}
