package dev.fleetkey.service.endpoint;

import org.eclipse.californium.scandium.ConnectionListener;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.Handshaker;

/**
 * Makes a failed PSK handshake visible to the device: RFC 7925 section 4 wants a fatal
 * {@code decrypt_error} for an unknown identity, and a wrong key looks the same. Stock Scandium drops
 * the undecryptable Finished silently, leaving the device to time out after minutes.
 *
 * <p>The hook: Scandium reports the record's MAC failure to its connection listener; while a PSK
 * handshake is still running, this listener fails that handshake through the connector's
 * {@code processHandshakeException}, which sends the alert (in plaintext: the server has not yet
 * changed its cipher spec) and removes the handshake. That method belongs to Scandium's
 * {@code RecordLayer} interface, marked {@code @NoPublicAPI}: the version is pinned and
 * {@code DeviceEndpointIT} checks the alert on the wire.
 */
final class FinishedMacFailureAlerts implements ConnectionListener {

    private volatile DTLSConnector connector;

    /** The connector is built from a config that holds this listener, so it arrives afterwards. */
    void attach(DTLSConnector connector) {
        this.connector = connector;
    }

    @Override
    public boolean onConnectionMacError(Connection connection) {
        Handshaker handshaker = connection.getOngoingHandshake();
        DTLSConnector target = connector;
        if (target == null || handshaker == null || handshaker.getDtlsContext().getSession().getCipherSuite() == null
                || !handshaker.getDtlsContext().getSession().getCipherSuite().isPskBased()) {
            return false;
        }
        target.processHandshakeException(connection, new HandshakeException(
                "client Finished could not be decrypted: unknown PSK identity or wrong key",
                new AlertMessage(AlertLevel.FATAL, AlertDescription.DECRYPT_ERROR)));
        return false;
    }

    @Override
    public void onConnectionEstablished(Connection connection) {
        // nothing to add
    }

    @Override
    public void onConnectionRemoved(Connection connection) {
        // nothing to add
    }

    @Override
    public boolean onConnectionUpdatesSequenceNumbers(Connection connection, boolean writeSequenceNumber) {
        return false;
    }

    @Override
    public void beforeExecution(Connection connection) {
        // nothing to add
    }

    @Override
    public void updateExecution(Connection connection) {
        // nothing to add
    }

    @Override
    public void afterExecution(Connection connection) {
        // nothing to add
    }
}
