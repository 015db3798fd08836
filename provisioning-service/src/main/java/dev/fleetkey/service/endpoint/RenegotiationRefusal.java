package dev.fleetkey.service.endpoint;

import java.io.IOException;
import java.net.DatagramPacket;
import java.security.GeneralSecurityException;
import java.util.List;

import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.DtlsDatagramFilter;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.Connection;
import org.eclipse.californium.scandium.dtls.ContentType;
import org.eclipse.californium.scandium.dtls.DTLSContext;
import org.eclipse.californium.scandium.dtls.HandshakeType;
import org.eclipse.californium.scandium.dtls.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a client's renegotiation attempt with a warning {@code no_renegotiation} alert (RFC 5246 section
 * 7.2.2, RFC 7925 section 17), every time it comes. Stock Scandium means to, but a renegotiating ClientHello
 * carries a non-empty {@code renegotiation_info} extension (RFC 5746), which Scandium's parser rejects
 * before that point, dropping the record in silence: openssl and gnutls then retransmit until they time out.
 *
 * <p>The hook: Scandium's datagram filter sees each record of a connection, in that connection's serial
 * execution, before it is decrypted and parsed. An encrypted handshake record (epoch 1 or later) is decrypted
 * here and, when it holds a ClientHello, answered and dropped; a first ClientHello is never encrypted, so
 * that is always a renegotiation, also while Scandium still counts the first handshake as running (until
 * the client's first application record). The alert
 * leaves through the connector's {@code sendFlight}, part of Scandium's {@code RecordLayer} interface marked
 * {@code @NoPublicAPI}: the version is pinned and {@code RenegotiationWireIT} checks the alert on the wire.
 * Everything else goes on to Scandium's default filter.
 */
final class RenegotiationRefusal extends DtlsDatagramFilter {

    private static final Logger LOG = LoggerFactory.getLogger(RenegotiationRefusal.class);

    private volatile DTLSConnector connector;

    RenegotiationRefusal(Configuration config) {
        super(config);
    }

    /** The connector is built from a config that holds this filter, so it arrives afterwards. */
    void attach(DTLSConnector connector) {
        this.connector = connector;
    }

    @Override
    public boolean onReceiving(Record record, Connection connection) {
        if (!super.onReceiving(record, connection)) {
            return false;
        }
        DTLSContext context = record.getEpoch() == 0 ? null : connection.getDtlsContext(record.getEpoch());
        if (context == null || !holdsClientHello(record, context)) {
            return true;
        }
        refuse(connection, context);
        return false;
    }

    /** Whether the record decrypts to a ClientHello; one that does not decrypt is left to Scandium. */
    private static boolean holdsClientHello(Record record, DTLSContext context) {
        if (record.getType() != ContentType.HANDSHAKE && record.getType() != ContentType.TLS12_CID) {
            return false;
        }
        byte[] plain;
        try {
            plain = context.getReadState().decrypt(record, record.getFragmentBytes());
        } catch (GeneralSecurityException e) {
            return false;
        }
        int end = plain.length;
        if (record.getType() == ContentType.TLS12_CID) {
            // RFC 9146 inner plaintext: content, the real type, then zero padding
            while (end > 0 && plain[end - 1] == 0) {
                end--;
            }
            if (end == 0 || plain[--end] != ContentType.HANDSHAKE.getCode()) {
                return false;
            }
        }
        return end > 0 && plain[0] == HandshakeType.CLIENT_HELLO.getCode();
    }

    private void refuse(Connection connection, DTLSContext context) {
        DTLSConnector target = connector;
        if (target == null) {
            return;
        }
        LOG.info("Device endpoint refused a renegotiation from {} with no_renegotiation", connection.getPeerAddress());
        try {
            Record alert = new Record(ContentType.ALERT, context.getWriteEpoch(),
                    new AlertMessage(AlertLevel.WARNING, AlertDescription.NO_RENEGOTIATION), context, true, 0);
            alert.setAddress(connection.getPeerAddress(), connection.getRouter());
            byte[] bytes = alert.toByteArray();
            target.sendFlight(List.of(new DatagramPacket(bytes, bytes.length, alert.getPeerAddress())));
        } catch (GeneralSecurityException | IOException e) {
            LOG.warn("Device endpoint could not send no_renegotiation to {}: {}", connection.getPeerAddress(),
                    e.getMessage());
        }
    }
}
