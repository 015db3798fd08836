package dev.fleetkey.service.endpoint;

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
final class UdpRelay implements AutoCloseable {

    /** One datagram as it crossed the relay; {@code clientPort} tells one client socket from the next. */
    record Datagram(boolean fromClient, byte[] bytes, int clientPort) {
    }

    private final DatagramSocket clientSide;
    private final DatagramSocket serverSide;
    private final InetSocketAddress server;
    private final List<Datagram> recorded = new ArrayList<>();
    private volatile InetSocketAddress client;

    UdpRelay(InetSocketAddress server) throws SocketException {
        this.server = server;
        this.clientSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.serverSide = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        start("relay-from-client", clientSide, true);
        start("relay-from-server", serverSide, false);
    }

    /** Where the client should send. */
    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), clientSide.getLocalPort());
    }

    /** Everything relayed so far. */
    synchronized List<Datagram> datagrams() {
        return List.copyOf(recorded);
    }

    synchronized void clear() {
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
                synchronized (this) {
                    recorded.add(new Datagram(fromClient, data, client == null ? 0 : client.getPort()));
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

    @Override
    public void close() {
        clientSide.close();
        serverSide.close();
    }
}
