package dev.fleetkey.runtime.dtls;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;

/**
 * Scandium's connector, counting the handshake bytes that actually cross the UDP socket: the DTLS
 * records of content type handshake (22) and change_cipher_spec (20), header included, in each
 * direction. Application data and alerts in the same datagrams are not counted.
 */
final class CountingDtlsConnector extends DTLSConnector {

    private static final int RECORD_HEADER = 13;
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HANDSHAKE = 22;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong datagrams = new AtomicLong();
    private volatile boolean deaf;

    CountingDtlsConnector(DtlsConnectorConfig config) {
        super(config);
    }

    @Override
    protected void sendNextDatagramOverNetwork(DatagramPacket datagram) throws IOException {
        super.sendNextDatagramOverNetwork(datagram);
        sent.addAndGet(handshakeBytes(datagram));
        synchronized (datagrams) {
            datagrams.incrementAndGet();
            datagrams.notifyAll();
        }
    }

    /**
     * Stops processing what arrives. Used when closing for good with a session to save: the server answers
     * our close_notify with its own, and Scandium does not save a connection whose peer has closed it.
     */
    void stopListening() {
        deaf = true;
    }

    /** How many datagrams have left the socket so far. */
    long datagramsSent() {
        return datagrams.get();
    }

    /** Waits until more than {@code count} datagrams have been sent, or {@code millis} have passed. */
    void awaitDatagramsSentBeyond(long count, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (datagrams) {
            long left;
            while (datagrams.get() <= count && (left = deadline - System.currentTimeMillis()) > 0) {
                try {
                    datagrams.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    protected void processDatagram(DatagramPacket datagram, InetSocketAddress router) {
        if (deaf) {
            return;
        }
        received.addAndGet(handshakeBytes(datagram));
        super.processDatagram(datagram, router);
    }

    /** Handshake bytes sent and received since the last call; the counters restart at zero. */
    long[] takeHandshakeBytes() {
        return new long[] {sent.getAndSet(0), received.getAndSet(0)};
    }

    private static int handshakeBytes(DatagramPacket datagram) {
        byte[] data = datagram.getData();
        int at = datagram.getOffset();
        int end = at + datagram.getLength();
        int total = 0;
        while (at + RECORD_HEADER <= end) {
            int type = data[at] & 0xFF;
            int length = ((data[at + 11] & 0xFF) << 8) | (data[at + 12] & 0xFF);
            if (type == HANDSHAKE || type == CHANGE_CIPHER_SPEC) {
                total += RECORD_HEADER + length;
            }
            // tls12_cid records (25) carry a CID before the length: their type is never 20 or 22 on the wire
            if (type == 25) {
                break;
            }
            at += RECORD_HEADER + length;
        }
        return total;
    }
}
