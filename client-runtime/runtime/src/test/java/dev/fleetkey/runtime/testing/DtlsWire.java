package dev.fleetkey.runtime.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the few DTLS 1.2 fields the profile tests look at: record headers (RFC 6347 section 4.1), plaintext
 * handshake headers (section 4.2.2), ClientHello (RFC 5246 section 7.4.1.2 with the DTLS cookie),
 * HelloVerifyRequest, ServerHello's session id and the PSK ClientKeyExchange identity (RFC 4279 section 2).
 *
 * <p>Hand-written on purpose: it is a test-only parser of a handful of fixed-layout fields, and parsing the
 * wire with Scandium's own classes would let the code under test vouch for itself. It does not reassemble
 * fragmented handshake messages; the messages it reads are small enough to travel whole.
 */
public final class DtlsWire {

    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;

    public static final int HELLO_REQUEST = 0;
    public static final int CLIENT_HELLO = 1;
    public static final int SERVER_HELLO = 2;
    public static final int HELLO_VERIFY_REQUEST = 3;
    public static final int CERTIFICATE = 11;
    public static final int SERVER_KEY_EXCHANGE = 12;
    public static final int CLIENT_KEY_EXCHANGE = 16;

    public static final int DTLS_1_2 = 0xFEFD;
    public static final int DTLS_1_0 = 0xFEFF;

    public static final int EXT_SUPPORTED_GROUPS = 10;
    public static final int EXT_EC_POINT_FORMATS = 11;
    public static final int EXT_SIGNATURE_ALGORITHMS = 13;
    public static final int EXT_RENEGOTIATION_INFO = 0xFF01;

    /** One DTLS record. */
    public record Record(int contentType, int version, int epoch, long sequence, byte[] fragment) {
    }

    /** One handshake message header and its (fragment of the) body, from an epoch-0 record. */
    public record Handshake(int type, int length, int messageSeq, int fragmentOffset, byte[] body) {
        public boolean whole() {
            return fragmentOffset == 0 && body.length == length;
        }
    }

    /** The ClientHello fields the profile constrains. Extensions keep their wire order. */
    public record ClientHello(int clientVersion, byte[] sessionId, byte[] cookie, List<Integer> cipherSuites,
                              byte[] compressionMethods, Map<Integer, byte[]> extensions) {

        /** supported_groups (RFC 8422 section 5.1.1): the named group codes. */
        public List<Integer> supportedGroups() {
            return u16List(extensions.get(EXT_SUPPORTED_GROUPS), 2);
        }

        /** signature_algorithms (RFC 5246 section 7.4.1.4.1): hash and signature byte pairs as one code. */
        public List<Integer> signatureAlgorithms() {
            return u16List(extensions.get(EXT_SIGNATURE_ALGORITHMS), 2);
        }

        /** ec_point_formats (RFC 8422 section 5.1.2), if sent: the format codes. */
        public Optional<byte[]> ecPointFormats() {
            byte[] ext = extensions.get(EXT_EC_POINT_FORMATS);
            return ext == null ? Optional.empty() : Optional.of(Arrays.copyOfRange(ext, 1, 1 + (ext[0] & 0xFF)));
        }
    }

    private DtlsWire() {
    }

    /** The records of one datagram. A tls12_cid record (25) ends the scan: its header is longer. */
    public static List<Record> records(byte[] datagram) {
        List<Record> out = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(datagram);
        while (in.remaining() >= 13) {
            int type = u8(in);
            int version = u16(in);
            int epoch = u16(in);
            long sequence = ((long) u16(in) << 32) | (in.getInt() & 0xFFFFFFFFL);
            if (type == 25) {
                break;
            }
            byte[] fragment = bytes(in, u16(in));
            out.add(new Record(type, version, epoch, sequence, fragment));
        }
        return out;
    }

    /** The handshake messages of a plaintext (epoch 0) handshake record; empty for any other record. */
    public static List<Handshake> handshakes(Record record) {
        List<Handshake> out = new ArrayList<>();
        if (record.contentType() != HANDSHAKE || record.epoch() != 0) {
            return out;
        }
        ByteBuffer in = ByteBuffer.wrap(record.fragment());
        while (in.remaining() >= 12) {
            int type = u8(in);
            int length = u24(in);
            int messageSeq = u16(in);
            int fragmentOffset = u24(in);
            int fragmentLength = u24(in);
            out.add(new Handshake(type, length, messageSeq, fragmentOffset, bytes(in, fragmentLength)));
        }
        return out;
    }

    /** All plaintext handshake messages in {@code datagrams} sent in one direction, in wire order. */
    public static List<Handshake> handshakes(List<UdpRelay.Datagram> datagrams, boolean fromClient) {
        List<Handshake> out = new ArrayList<>();
        for (UdpRelay.Datagram d : datagrams) {
            if (d.fromClient() == fromClient) {
                records(d.bytes()).forEach(r -> out.addAll(handshakes(r)));
            }
        }
        return out;
    }

    /** Whether a datagram carries a plaintext ClientHello. */
    public static boolean carriesClientHello(byte[] datagram) {
        return records(datagram).stream().flatMap(r -> handshakes(r).stream()).anyMatch(h -> h.type() == CLIENT_HELLO);
    }

    public static ClientHello clientHello(Handshake message) {
        ByteBuffer in = whole(message, CLIENT_HELLO);
        int version = u16(in);
        in.position(in.position() + 32); // random
        byte[] sessionId = bytes(in, u8(in));
        byte[] cookie = bytes(in, u8(in));
        List<Integer> suites = u16List(bytes(in, u16(in)), 0);
        byte[] compression = bytes(in, u8(in));
        Map<Integer, byte[]> extensions = new LinkedHashMap<>();
        if (in.hasRemaining()) {
            ByteBuffer all = ByteBuffer.wrap(bytes(in, u16(in)));
            while (all.hasRemaining()) {
                int type = u16(all);
                extensions.put(type, bytes(all, u16(all)));
            }
        }
        return new ClientHello(version, sessionId, cookie, suites, compression, extensions);
    }

    /** HelloVerifyRequest: server_version, then the cookie. */
    public static byte[] helloVerifyCookie(Handshake message) {
        ByteBuffer in = whole(message, HELLO_VERIFY_REQUEST);
        u16(in);
        return bytes(in, u8(in));
    }

    /** ServerHello: server_version, random, then the session id. */
    public static byte[] serverHelloSessionId(Handshake message) {
        ByteBuffer in = whole(message, SERVER_HELLO);
        in.position(2 + 32);
        return bytes(in, u8(in));
    }

    /** A PSK ClientKeyExchange is nothing but the psk_identity, a 16-bit length and the bytes. */
    public static byte[] pskIdentity(Handshake message) {
        ByteBuffer in = whole(message, CLIENT_KEY_EXCHANGE);
        return bytes(in, u16(in));
    }

    private static ByteBuffer whole(Handshake message, int type) {
        if (message.type() != type || !message.whole()) {
            throw new IllegalArgumentException("expected a whole handshake message of type " + type + ", got "
                    + message.type() + " (offset " + message.fragmentOffset() + ")");
        }
        return ByteBuffer.wrap(message.body());
    }

    /** A list of 16-bit codes, after a length prefix of {@code prefix} bytes (0: none); empty if absent. */
    private static List<Integer> u16List(byte[] data, int prefix) {
        List<Integer> out = new ArrayList<>();
        if (data == null) {
            return out;
        }
        for (int at = prefix; at + 1 < data.length; at += 2) {
            out.add(((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF));
        }
        return out;
    }

    private static int u8(ByteBuffer in) {
        return in.get() & 0xFF;
    }

    private static int u16(ByteBuffer in) {
        return in.getShort() & 0xFFFF;
    }

    private static int u24(ByteBuffer in) {
        return (u8(in) << 16) | u16(in);
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }
}
