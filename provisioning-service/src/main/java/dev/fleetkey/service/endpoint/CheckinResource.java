package dev.fleetkey.service.endpoint;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.server.resources.CoapExchange;

/**
 * {@code POST /checkin}: the device reports its firmware version and bundle sequences (see
 * {@link CheckinReport}); answered 2.04 Changed once the check-in is stored (written with the others that
 * arrived meanwhile, one commit for all). A body naming another device is refused with 4.03.
 */
final class CheckinResource extends SessionResource {

    private final DeviceRequests requests;

    CheckinResource(DeviceRequests requests, OpenSessions sessions) {
        super("checkin", sessions);
        this.requests = requests;
        getAttributes().setTitle("Device check-in");
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        asDevice(exchange, session -> {
            CheckinReport report = CheckinReport.parse(exchange.getRequestPayload(),
                    exchange.getRequestOptions().getContentFormat());
            if (report.claimedDevice() != null && !claims(report.claimedDevice(), session)) {
                throw new DeviceRequestRefused("this DTLS session belongs to " + session.device().canonical()
                        + "; a device can only check in as itself");
            }
            // answered from the group commit's thread once the check-in is on disk; the CoAP thread moves on
            requests.checkIn(session, report).whenComplete((stored, failure) -> {
                if (failure == null) {
                    exchange.respond(ResponseCode.CHANGED);
                } else {
                    respondFailure(exchange, session, failure);
                }
            });
        });
    }

    private static boolean claims(String claimed, DeviceSession session) {
        try {
            return dev.fleetkey.bundle.Eui64.parse(claimed).equals(session.device());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
