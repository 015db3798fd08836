package dev.fleetkey.runtime.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A loopback UDP relay between one client and one server that records every datagram, so a test can
 * assert what actually crossed the wire (and count handshake bytes).
 */
public final class UdpRelay implements AutoCloseable {

    /**
     * One datagram as it crossed the relay; {@code clientPort} tells one client socket from the next,
     * {@code receivedNanos} is {@link System#nanoTime()} on arrival, {@code dropped} that it was not passed on.
     */
    public record Datagram(boolean fromClient, byte[] bytes, int clientPort, long receivedNanos, boolean dropped) {
    }

    private final DatagramSocket clientSide;
    private final DatagramSocket serverSide;
    private final InetSocketAddress server;
    private final List<Datagram> recorded = new ArrayList<>();
    private volatile InetSocketAddress client;
    private java.util.function.Predicate<byte[]> dropFromClient = b -> false;
    private int dropsLeft;

    public UdpRelay(InetSocketAddress server) throws SocketException {
        this.server = server;
        this.clientSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.serverSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        start("relay-from-client", clientSide, true);
        start("relay-from-server", serverSide, false);
    }

    /** Where the client should send. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), clientSide.getLocalPort());
    }

    /** Everything relayed so far. */
    public synchronized List<Datagram> datagrams() {
        return List.copyOf(recorded);
    }

    /** Waits until a datagram matching {@code wanted} has been relayed; false if none came in time. */
    public synchronized boolean await(java.util.function.Predicate<Datagram> wanted, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (recorded.stream().noneMatch(wanted)) {
            long left = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Drops (records but does not pass on) the next {@code count} client datagrams matching {@code which}. */
    public synchronized void dropFromClient(java.util.function.Predicate<byte[]> which, int count) {
        dropFromClient = which;
        dropsLeft = count;
    }

    public synchronized void clear() {
        recorded.clear();
    }

    private void start(String name, DatagramSocket socket, boolean fromClient) {
        Thread thread = new Thread(() -> pump(socket, fromClient), name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump(DatagramSocket socket, boolean fromClient) {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                byte[] data = Arrays.copyOf(packet.getData(), packet.getLength());
                if (fromClient) {
                    client = (InetSocketAddress) packet.getSocketAddress();
                }
                long arrived = System.nanoTime();
                boolean drop;
                synchronized (this) {
                    drop = fromClient && dropsLeft > 0 && dropFromClient.test(data);
                    if (drop) {
                        dropsLeft--;
                    }
                    recorded.add(new Datagram(fromClient, data, client == null ? 0 : client.getPort(), arrived, drop));
                    notifyAll();
                }
                if (drop) {
                    continue;
                }
                if (fromClient) {
                    serverSide.send(new DatagramPacket(data, data.length, server));
                } else if (client != null) {
                    clientSide.send(new DatagramPacket(data, data.length, client));
                }
            } catch (IOException e) {
                return; // socket closed
            }
        }
    }

    /**
     * Handshake and change_cipher_spec records (content types 22, 20), headers included: the handshake's
     * UDP payload. Alerts and application data are left out; a tls12_cid record (25) ends the scan of its
     * datagram, its header being longer (no handshake record follows one in practice). Datagrams the relay
     * dropped count too: they left the sender.
     */
    public static long handshakeBytes(List<Datagram> datagrams) {
        long total = 0;
        for (Datagram d : datagrams) {
            byte[] b = d.bytes();
            int at = 0;
            while (at + 13 <= b.length) {
                int type = b[at] & 0xFF;
                if (type == 25) {
                    break;
                }
                int length = ((b[at + 11] & 0xFF) << 8) | (b[at + 12] & 0xFF);
                if (type == 22 || type == 20) {
                    total += 13 + length;
                }
                at += 13 + length;
            }
        }
        return total;
    }

    @Override
    public void close() {
        clientSide.close();
        serverSide.close();
    }
}
