package dev.fleetkey.service.endpoint;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

import org.eclipse.californium.elements.util.Filter;
import org.eclipse.californium.scandium.DTLSConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetkey.bundle.Eui64;

/**
 * The endpoint's established DTLS sessions, as the CoAP resources see them: each request is authorized
 * against the device's current credentials ({@link CurrentCredentials}), and the sessions of a credential
 * that is no longer valid are ended, so they can neither carry more requests nor be resumed.
 */
final class OpenSessions {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSessions.class);

    private final CurrentCredentials credentials;
    private volatile DTLSConnector connector;

    OpenSessions(CurrentCredentials credentials) {
        this.credentials = credentials;
    }

    /** The connector is built from a config that holds objects using this, so it arrives afterwards. */
    void attach(DTLSConnector connector) {
        this.connector = connector;
    }

    /** The device {@code principal} authenticated, if its credential is valid now. */
    Optional<Eui64> stillValid(Principal principal) {
        return credentials.stillValid(principal);
    }

    /**
     * Ends every session {@code principal} authenticated: {@code close_notify} to {@code peer}, so the device
     * learns at once that its next request needs a handshake, then the connections and their cached sessions
     * removed, at any address.
     */
    void end(Principal principal, InetSocketAddress peer) {
        DTLSConnector target = connector;
        if (target == null || !target.isRunning()) {
            return;
        }
        LOG.info("Device endpoint ends the sessions of {}: its credential is revoked or expired",
                DevicePrincipals.deviceOf(principal).map(Object::toString).orElse("an unknown device"));
        Filter<Principal> sameCredential = principal::equals;
        try {
            target.close(peer);
            target.startTerminateConnectionsForPrincipal(sameCredential, true);
        } catch (RejectedExecutionException e) {
            // the connector is stopping: its connections end with it
        }
    }
}
