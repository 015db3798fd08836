package dev.fleetkey.service.endpoint;

import java.util.Optional;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;

import dev.fleetkey.bundle.Eui64;

/** {@code GET /hello}: answers the authenticated caller's EUI-64, proof that its credentials work. */
final class HelloResource extends CoapResource {

    HelloResource() {
        super("hello");
        getAttributes().setTitle("Names the authenticated device");
    }

    @Override
    public void handleGET(CoapExchange exchange) {
        Optional<Eui64> device = DevicePrincipals.deviceOf(exchange.advanced().getRequest().getSourceContext()
                .getPeerIdentity());
        if (device.isEmpty()) {
            exchange.respond(ResponseCode.UNAUTHORIZED, "no device is bound to this DTLS session",
                    MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        exchange.respond(ResponseCode.CONTENT, device.get().canonical(), MediaTypeRegistry.TEXT_PLAIN);
    }
}
