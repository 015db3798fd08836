package dev.fleetkey.service.endpoint;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.Code;
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

    /** What the certificate-answering resources serve: a certs-only CMS (the default) or one DER certificate. */
    private static final int[] CERTIFICATE_FORMATS = {DeviceEnrollment.PKCS7_CERTS_ONLY, DeviceEnrollment.PKIX_CERT};

    private EstResources() {
    }

    /** {@code /.well-known/est} with its children, to add under the server's {@code .well-known}. */
    static Resource wellKnownEst(DeviceEnrollment enrollment, OpenSessions sessions) {
        CoapResource est = new CoapResource("est");
        est.getAttributes().addResourceType("ace.est");
        est.add(
                // GET /crts: the CA certificates (RFC 7030 section 4.1)
                new EstResource("crts", "ace.est.crts", Code.GET, (enrollee, csr, format) ->
                        enrollment.caCertificates(format), sessions, CERTIFICATE_FORMATS),
                // POST /sen and /sren: (re-)enrollment with a PKCS#10 CSR (RFC 7030 section 4.2)
                new EstResource("sen", "ace.est.sen", Code.POST, (enrollee, csr, format) ->
                        enrollment.enroll(enrollee, csr, false, format), sessions, CERTIFICATE_FORMATS),
                new EstResource("sren", "ace.est.sren", Code.POST, (enrollee, csr, format) ->
                        enrollment.enroll(enrollee, csr, true, format), sessions, CERTIFICATE_FORMATS),
                // GET /att: the CSR attributes (RFC 7030 section 4.5)
                new EstResource("att", "ace.est.att", Code.GET, (enrollee, csr, format) ->
                        enrollment.csrAttributes(), sessions, DeviceEnrollment.CSR_ATTRIBUTES),
                // POST /skg: server-side key generation (RFC 7030 section 4.4, RFC 9148 section 4.8)
                new EstResource("skg", "ace.est.skg", Code.POST, (enrollee, csr, format) ->
                        enrollment.serverKeyGeneration(enrollee, csr), sessions, DeviceEnrollment.MULTIPART_CORE));
        return est;
    }

    /**
     * {@code GET /crl}: the device CA's CRL, DER or in a certs-only CMS. Not under {@code /.well-known/est}, whose
     * names RFC 9148 defines.
     */
    static Resource revocationList(DeviceEnrollment enrollment, OpenSessions sessions) {
        EstResource crl = new EstResource("crl", "fleetkey.crl", Code.GET, (enrollee, csr, format) ->
                enrollment.deviceCaCrl(format), sessions, DeviceEnrollment.OCTET_STREAM,
                DeviceEnrollment.PKCS7_CERTS_ONLY);
        crl.getAttributes().setTitle("The device CA's certificate revocation list (RFC 5280)");
        return crl;
    }

    /** What one resource answers an enrollee, given the request's CSR (POST) and the Content-Format chosen. */
    private interface Answer {
        DeviceEnrollment.Reply to(DeviceEnrollment.Enrollee enrollee, byte[] csr, int format);
    }

    /**
     * One EST-coaps resource: answers its one method (GET with 2.05, or POST of a PKCS#10 CSR with 2.04) in one of
     * the Content-Formats it serves, the first of them when the request has no Accept option.
     */
    private static final class EstResource extends SessionResource {
        private final Code method;
        private final Answer answer;
        private final int[] served;

        EstResource(String name, String resourceType, Code method, Answer answer, OpenSessions sessions,
                    int... served) {
            super(name, sessions);
            this.method = method;
            this.answer = answer;
            this.served = served;
            describe(this, resourceType, served);
        }

        @Override
        public void handleGET(CoapExchange exchange) {
            serve(Code.GET, exchange, super::handleGET);
        }

        @Override
        public void handlePOST(CoapExchange exchange) {
            serve(Code.POST, exchange, super::handlePOST);
        }

        /** Answers a request of this resource's method; another method is refused as CoAP's default does (4.05). */
        private void serve(Code requested, CoapExchange exchange, Consumer<CoapExchange> otherMethod) {
            if (requested != method) {
                otherMethod.accept(exchange);
                return;
            }
            int format = accepted(exchange, served);
            if (format > 0 && (method != Code.POST || pkcs10(exchange))) {
                ResponseCode success = method == Code.POST ? ResponseCode.CHANGED : ResponseCode.CONTENT;
                asEnrollee(exchange, enrollee -> reply(exchange, success,
                        answer.to(enrollee, exchange.getRequestPayload(), format)));
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
