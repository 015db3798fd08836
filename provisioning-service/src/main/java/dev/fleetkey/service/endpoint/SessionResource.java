package dev.fleetkey.service.endpoint;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.auth.X509CertPath;
import org.eclipse.californium.elements.DtlsEndpointContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;

/**
 * A resource that acts for the device its DTLS session authenticated, and maps the service's refusals to
 * CoAP codes in one place: bad input 4.00, refused 4.03, a domain failure by {@link #codeFor}, anything else
 * 5.00 with details only in the log.
 * Every request is authorized against the device's current credentials first: a session whose credential
 * was revoked or has expired since its handshake gets 4.03, and is ended once that answer is sent.
 */
abstract class SessionResource extends CoapResource {

    private static final Logger LOG = LoggerFactory.getLogger(SessionResource.class);
    private static final String CREDENTIAL_INVALID = "the credential this DTLS session authenticated with is "
            + "revoked or expired; the session is ended, and a new handshake needs a valid credential";
    private static final String FACTORY_ONLY = "this DTLS session authenticated with a factory certificate, which "
            + "may only enroll (/.well-known/est); enroll first, then connect with the certificate Fleetkey issued";

    private final OpenSessions sessions;

    SessionResource(String name, OpenSessions sessions) {
        super(name);
        this.sessions = sessions;
    }

    /** Handles the request for {@code session}. */
    interface Handler {
        void handle(DeviceSession session);
    }

    /** Handles an EST request for {@code enrollee}. */
    interface EnrolleeHandler {
        void handle(DeviceEnrollment.Enrollee enrollee);
    }

    final void asDevice(CoapExchange exchange, Handler handler) {
        EndpointContext context = exchange.advanced().getRequest().getSourceContext();
        Optional<DeviceSession> session = boundSession(exchange, context);
        if (session.isEmpty()) {
            return;
        }
        if (DevicePrincipals.isFactory(context.getPeerIdentity())) {
            exchange.respond(ResponseCode.FORBIDDEN, FACTORY_ONLY, MediaTypeRegistry.TEXT_PLAIN);
            return;
        }
        if (sessions.stillValid(context.getPeerIdentity()).isEmpty()) {
            exchange.respond(refusedAndEnded(context));
            return;
        }
        answer(exchange, session.get(), () -> handler.handle(session.get()));
    }

    /** The device bound to the request's DTLS session; without one, answers 4.01 and gives nothing. */
    private Optional<DeviceSession> boundSession(CoapExchange exchange, EndpointContext context) {
        Optional<DeviceSession> session = sessionOf(context);
        if (session.isEmpty()) {
            exchange.respond(ResponseCode.UNAUTHORIZED, "no device is bound to this DTLS session",
                    MediaTypeRegistry.TEXT_PLAIN);
        }
        return session;
    }

    /**
     * Like {@link #asDevice}, for the EST resources, which a session authenticated by a factory certificate may
     * use too: the EST feature decides what such a device may do.
     */
    final void asEnrollee(CoapExchange exchange, EnrolleeHandler handler) {
        EndpointContext context = exchange.advanced().getRequest().getSourceContext();
        Optional<DeviceSession> session = boundSession(exchange, context);
        if (session.isEmpty()) {
            return;
        }
        Principal principal = context.getPeerIdentity();
        List<X509Certificate> factoryChain = List.of();
        if (DevicePrincipals.isFactory(principal)) {
            factoryChain = ((X509CertPath) principal).getPath().getCertificates().stream()
                    .map(X509Certificate.class::cast).toList();
        } else if (sessions.stillValid(principal).isEmpty()) {
            exchange.respond(refusedAndEnded(context));
            return;
        }
        DeviceEnrollment.Enrollee enrollee = new DeviceEnrollment.Enrollee(session.get(), factoryChain);
        answer(exchange, session.get(), () -> handler.handle(enrollee));
    }

    private void answer(CoapExchange exchange, DeviceSession session, Runnable handler) {
        try {
            handler.run();
        } catch (RuntimeException e) {
            respondFailure(exchange, session, e);
        }
    }

    /**
     * Answers a request that failed: bad input 4.00, refused 4.03, too much waiting 5.03 (with Max-Age: when to
     * retry), a domain failure by {@link #codeFor}, anything else 5.00 with details only in the log.
     */
    final void respondFailure(CoapExchange exchange, DeviceSession session, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof IllegalArgumentException) {
            exchange.respond(ResponseCode.BAD_REQUEST, e.getMessage(), MediaTypeRegistry.TEXT_PLAIN);
        } else if (e instanceof DeviceRequestRefused) {
            exchange.respond(ResponseCode.FORBIDDEN, e.getMessage(), MediaTypeRegistry.TEXT_PLAIN);
        } else if (e instanceof RejectedExecutionException) {
            Response busy = new Response(ResponseCode.SERVICE_UNAVAILABLE);
            busy.setPayload(e.getMessage());
            busy.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN).setMaxAge(1);
            exchange.respond(busy);
        } else if (e instanceof FleetkeyException fleetkey) {
            LOG.info("{} {} for device {} refused ({}): {}", exchange.getRequestCode(), getURI(), session.device(),
                    fleetkey.reason(), e.getMessage());
            exchange.respond(codeFor(fleetkey), e.getMessage(), MediaTypeRegistry.TEXT_PLAIN);
        } else {
            LOG.error("{} {} for device {} failed", exchange.getRequestCode(), getURI(), session.device(), e);
            exchange.respond(ResponseCode.INTERNAL_SERVER_ERROR, "the service could not answer; try again later",
                    MediaTypeRegistry.TEXT_PLAIN);
        }
    }

    /**
     * The CoAP answer to a domain failure: a bad value 4.00, something unknown 4.04, anything else the service
     * refuses for this device as it is now (revoked, in conflict, not buildable) 4.03.
     */
    static ResponseCode codeFor(FleetkeyException e) {
        if (e instanceof InvalidFieldException) {
            return ResponseCode.BAD_REQUEST;
        }
        if (e instanceof NotFoundException) {
            return ResponseCode.NOT_FOUND;
        }
        return ResponseCode.FORBIDDEN;
    }

    /** 4.03, and once it is sent, the end of the session: the answer must leave before the keys go. */
    private Response refusedAndEnded(EndpointContext context) {
        Response refused = new Response(ResponseCode.FORBIDDEN);
        refused.setPayload(CREDENTIAL_INVALID);
        refused.getOptions().setContentFormat(MediaTypeRegistry.TEXT_PLAIN);
        refused.addMessageObserver(new MessageObserverAdapter() {
            @Override
            public void onSent(boolean retransmission) {
                sessions.end(context.getPeerIdentity(), context.getPeerAddress());
            }

            @Override
            public void onSendError(Throwable error) {
                sessions.end(context.getPeerIdentity(), context.getPeerAddress());
            }
        });
        return refused;
    }

    static Optional<DeviceSession> sessionOf(EndpointContext context) {
        Principal principal = context.getPeerIdentity();
        Optional<Eui64> device = DevicePrincipals.deviceOf(principal);
        String cipher = context.getString(DtlsEndpointContext.KEY_CIPHER);
        if (device.isEmpty() || cipher == null) {
            return Optional.empty();
        }
        InetSocketAddress peer = context.getPeerAddress();
        String remote = peer.getAddress().getHostAddress() + ":" + peer.getPort();
        if (principal instanceof RawPublicKeyIdentity) {
            return Optional.of(new DeviceSession(device.get(), CredentialMode.RAW_PUBLIC_KEY, cipher, remote,
                    ((RawPublicKeyIdentity) principal).getKey(), null));
        }
        if (principal instanceof X509CertPath) {
            return Optional.of(new DeviceSession(device.get(), CredentialMode.X509, cipher, remote,
                    ((X509CertPath) principal).getTarget().getPublicKey(), null));
        }
        Optional<byte[]> identity = DevicePrincipals.pskIdentityOf(principal);
        if (identity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DeviceSession(device.get(), CredentialMode.PSK, cipher, remote, null, identity.get()));
    }
}
