package dev.fleetkey.service.endpoint;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;

/**
 * The EST-coaps resources (RFC 9148) under {@code /.well-known/est}, with the short names and Content-Formats
 * of RFC 9148 section 4, plus the device CA's revocation list at {@code /crl}. Only CoAP lives here: the
 * Content-Format of a request (4.15 when it is not PKCS#10), the Accept option (4.06 for a format the resource
 * does not serve) and the codes; what a device may get is {@link DeviceEnrollment}'s decision. Responses larger
 * than a datagram go block-wise (RFC 7959), which Californium's block-wise layer does for every resource.
 */
final class EstResources {

    private EstResources() {
    }

    /** {@code /.well-known/est} with its children, to add under the server's {@code .well-known}. */
    static Resource wellKnownEst(DeviceEnrollment enrollment, OpenSessions sessions) {
        CoapResource est = new CoapResource("est");
        est.getAttributes().addResourceType("ace.est");
        est.add(new CaCertificates(enrollment, sessions), new Enroll("sen", false, enrollment, sessions),
                new Enroll("sren", true, enrollment, sessions), new CsrAttributes(enrollment, sessions),
                new ServerKeyGeneration(enrollment, sessions));
        return est;
    }

    /** {@code /crl}: the device CA's CRL. Not under {@code /.well-known/est}, whose names RFC 9148 defines. */
    static Resource revocationList(DeviceEnrollment enrollment, OpenSessions sessions) {
        return new RevocationList(enrollment, sessions);
    }

    /** {@code GET /crts}: the CA certificates (RFC 7030 section 4.1). */
    private static final class CaCertificates extends SessionResource {
        private final DeviceEnrollment enrollment;

        CaCertificates(DeviceEnrollment enrollment, OpenSessions sessions) {
            super("crts", sessions);
            this.enrollment = enrollment;
            describe(this, "ace.est.crts", DeviceEnrollment.PKCS7_CERTS_ONLY, DeviceEnrollment.PKIX_CERT);
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            int format = accepted(exchange, DeviceEnrollment.PKCS7_CERTS_ONLY, DeviceEnrollment.PKIX_CERT);
            if (format > 0) {
                asEnrollee(exchange, enrollee -> reply(exchange, ResponseCode.CONTENT, enrollment.caCertificates(format)));
            }
        }
    }

    /** {@code POST /sen} and {@code POST /sren}: (re-)enrollment with a PKCS#10 CSR (RFC 7030 section 4.2). */
    private static final class Enroll extends SessionResource {
        private final boolean reEnroll;
        private final DeviceEnrollment enrollment;

        Enroll(String name, boolean reEnroll, DeviceEnrollment enrollment, OpenSessions sessions) {
            super(name, sessions);
            this.reEnroll = reEnroll;
            this.enrollment = enrollment;
            describe(this, "ace.est." + name, DeviceEnrollment.PKCS7_CERTS_ONLY, DeviceEnrollment.PKIX_CERT);
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            int format = accepted(exchange, DeviceEnrollment.PKCS7_CERTS_ONLY, DeviceEnrollment.PKIX_CERT);
            if (format > 0 && pkcs10(exchange)) {
                asEnrollee(exchange, enrollee -> reply(exchange, ResponseCode.CHANGED,
                        enrollment.enroll(enrollee, exchange.getRequestPayload(), reEnroll, format)));
            }
        }
    }

    /** {@code GET /att}: the CSR attributes (RFC 7030 section 4.5). */
    private static final class CsrAttributes extends SessionResource {
        private final DeviceEnrollment enrollment;

        CsrAttributes(DeviceEnrollment enrollment, OpenSessions sessions) {
            super("att", sessions);
            this.enrollment = enrollment;
            describe(this, "ace.est.att", DeviceEnrollment.CSR_ATTRIBUTES);
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            if (accepted(exchange, DeviceEnrollment.CSR_ATTRIBUTES) > 0) {
                asEnrollee(exchange, enrollee -> reply(exchange, ResponseCode.CONTENT, enrollment.csrAttributes()));
            }
        }
    }

    /** {@code POST /skg}: server-side key generation (RFC 7030 section 4.4, RFC 9148 section 4.8). */
    private static final class ServerKeyGeneration extends SessionResource {
        private final DeviceEnrollment enrollment;

        ServerKeyGeneration(DeviceEnrollment enrollment, OpenSessions sessions) {
            super("skg", sessions);
            this.enrollment = enrollment;
            describe(this, "ace.est.skg", DeviceEnrollment.MULTIPART_CORE);
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            if (accepted(exchange, DeviceEnrollment.MULTIPART_CORE) > 0 && pkcs10(exchange)) {
                asEnrollee(exchange, enrollee -> reply(exchange, ResponseCode.CHANGED,
                        enrollment.serverKeyGeneration(enrollee, exchange.getRequestPayload())));
            }
        }
    }

    /** {@code GET /crl}: the device CA's revocation list, DER or in a certs-only CMS. */
    private static final class RevocationList extends SessionResource {
        private final DeviceEnrollment enrollment;

        RevocationList(DeviceEnrollment enrollment, OpenSessions sessions) {
            super("crl", sessions);
            this.enrollment = enrollment;
            getAttributes().setTitle("The device CA's certificate revocation list (RFC 5280)");
            describe(this, "fleetkey.crl", DeviceEnrollment.OCTET_STREAM, DeviceEnrollment.PKCS7_CERTS_ONLY);
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            int format = accepted(exchange, DeviceEnrollment.OCTET_STREAM, DeviceEnrollment.PKCS7_CERTS_ONLY);
            if (format > 0) {
                asEnrollee(exchange, enrollee -> reply(exchange, ResponseCode.CONTENT, enrollment.deviceCaCrl(format)));
            }
        }
    }

    private static void describe(CoapResource resource, String resourceType, int... contentFormats) {
        resource.getAttributes().addResourceType(resourceType);
        for (int format : contentFormats) {
            resource.getAttributes().addContentType(format);
        }
    }

    /**
     * The Content-Format to answer in: the Accept option's when the resource serves it, else the first
     * (the default) when there is no Accept option; or -1 after answering 4.06 Not Acceptable.
     */
    private static int accepted(CoapExchange exchange, int... served) {
        int accept = exchange.getRequestOptions().getAccept();
        if (accept < 0) {
            return served[0];
        }
        if (Arrays.stream(served).anyMatch(format -> format == accept)) {
            return accept;
        }
        exchange.respond(ResponseCode.NOT_ACCEPTABLE, "this resource answers in Content-Format " + list(served)
                + ", not " + accept, MediaTypeRegistry.TEXT_PLAIN);
        return -1;
    }

    /** Whether the request carries a PKCS#10 CSR (Content-Format 286); else answers 4.15 or 4.00. */
    private static boolean pkcs10(CoapExchange exchange) {
        int format = exchange.getRequestOptions().getContentFormat();
        if (format != DeviceEnrollment.PKCS10) {
            exchange.respond(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, "send the PKCS#10 CSR, DER encoded, with"
                    + " Content-Format 286 (application/pkcs10), not " + format, MediaTypeRegistry.TEXT_PLAIN);
            return false;
        }
        if (exchange.getRequestPayload() == null || exchange.getRequestPayload().length == 0) {
            exchange.respond(ResponseCode.BAD_REQUEST, "the request has no payload: send a DER PKCS#10 CSR",
                    MediaTypeRegistry.TEXT_PLAIN);
            return false;
        }
        return true;
    }

    private static void reply(CoapExchange exchange, ResponseCode code, DeviceEnrollment.Reply reply) {
        exchange.respond(code, reply.payload(), reply.contentFormat());
    }

    private static String list(int... formats) {
        return IntStream.of(formats).mapToObj(Integer::toString).collect(Collectors.joining(" or "));
    }
}
