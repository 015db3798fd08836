package dev.fleetkey.runtime.dtls;

import java.net.InetSocketAddress;

import org.eclipse.californium.scandium.dtls.DtlsHandshakeTimeoutException;
import org.eclipse.californium.scandium.dtls.HandshakeException;

import dev.fleetkey.runtime.AlertReceivedException;
import dev.fleetkey.runtime.ConnectionFailedException;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.HandshakeTimeoutException;

/** Turns what Californium reports into the runtime's typed exceptions; nothing of Scandium leaks. */
final class FailureTranslation {

    /** Scandium's wording for an alert that came from the peer, see DTLSConnector.processAlertRecord. */
    private static final String RECEIVED_FATAL = "Received 'fatal alert/";

    private FailureTranslation() {
    }

    static DeviceRuntimeException translate(Throwable failure, InetSocketAddress peer) {
        if (failure instanceof DeviceRuntimeException) {
            return (DeviceRuntimeException) failure;
        }
        if (failure instanceof DtlsHandshakeTimeoutException) {
            return new HandshakeTimeoutException(peer);
        }
        if (failure instanceof HandshakeException) {
            HandshakeException handshake = (HandshakeException) failure;
            String alert = handshake.getAlert().getDescription().getDescription();
            String message = String.valueOf(handshake.getMessage());
            if (message.startsWith(RECEIVED_FATAL)) {
                return new AlertReceivedException(alert);
            }
            return new ConnectionFailedException("this device aborted the DTLS handshake with "
                    + peer.getHostString() + ":" + peer.getPort() + " (alert '" + alert + "'): " + message);
        }
        return new ConnectionFailedException("the secure session with " + peer.getHostString() + ":" + peer.getPort()
                + " failed: " + failure.getMessage());
    }
}
