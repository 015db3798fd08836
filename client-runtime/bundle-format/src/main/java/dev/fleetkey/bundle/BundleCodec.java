package dev.fleetkey.bundle;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one payload codec: {@link BundlePayload} to deterministic CBOR and back. The integer keys
 * below are the wire format; {@code firmware-bundles/FORMAT.md} specifies them in CDDL.
 */
public final class BundleCodec {

    // bundle map
    static final int VERSION = 1, KIND = 2, BUNDLE_ID = 3, SEQUENCE = 4, ISSUED_AT = 5, NOT_AFTER = 6,
            DEVICE = 7, TEMPLATE = 8, SERVERS = 9, DTLS = 10, SECRETS_IN_CLEAR = 11;
    // server map
    static final int S_NAME = 1, S_URI = 2, S_HOST = 3, S_MODE = 4, S_SUITES = 5, S_CREDENTIALS = 6;
    // credentials map
    static final int C_PSK_IDENTITY = 1, C_PSK_KEY = 2, C_PRIVATE_KEY = 3, C_PUBLIC_KEY = 4,
            C_SERVER_KEYS = 5, C_SERVER_PINS = 6, C_CHAIN = 7, C_ANCHORS = 8;
    // dtls policy map
    static final int D_INITIAL_MS = 1, D_RESUMPTION = 2, D_CONNECTION_ID = 3;

    private static final Set<Integer> BUNDLE_KEYS =
            Set.of(VERSION, KIND, BUNDLE_ID, SEQUENCE, ISSUED_AT, NOT_AFTER, DEVICE, TEMPLATE, SERVERS, DTLS,
                    SECRETS_IN_CLEAR);
    private static final Set<Integer> SERVER_KEYS = Set.of(S_NAME, S_URI, S_HOST, S_MODE, S_SUITES, S_CREDENTIALS);
    private static final Set<Integer> CREDENTIAL_KEYS = Set.of(C_PSK_IDENTITY, C_PSK_KEY, C_PRIVATE_KEY,
            C_PUBLIC_KEY, C_SERVER_KEYS, C_SERVER_PINS, C_CHAIN, C_ANCHORS);
    private static final Set<Integer> DTLS_KEYS = Set.of(D_INITIAL_MS, D_RESUMPTION, D_CONNECTION_ID);

    private BundleCodec() {
    }

    /** Encodes {@code payload} in deterministic CBOR: equal payloads give equal bytes. */
    public static byte[] encode(BundlePayload payload) {
        CBORObject m = CBORObject.NewMap()
                .Add(VERSION, payload.formatVersion())
                .Add(KIND, payload.kind().code())
                .Add(BUNDLE_ID, payload.bundleId())
                .Add(SEQUENCE, payload.sequence())
                .Add(ISSUED_AT, payload.issuedAt().getEpochSecond())
                .Add(NOT_AFTER, payload.notAfter().getEpochSecond())
                .Add(TEMPLATE, CBORObject.NewArray().Add(payload.template().id()).Add(payload.template().version()))
                .Add(DTLS, encodePolicy(payload.dtlsPolicy()));
        if (payload.device() != null) {
            m.Add(DEVICE, payload.device().toBytes());
        }
        CBORObject servers = CBORObject.NewArray();
        payload.servers().forEach(s -> servers.Add(encodeServer(s)));
        m.Add(SERVERS, servers);
        if (payload.secretsInClear()) {
            m.Add(SECRETS_IN_CLEAR, true);
        }
        return DeterministicCbor.encode(m);
    }

    /**
     * Decodes a payload, strictly: deterministic encoding, every required field present and typed,
     * no unknown critical field.
     *
     * @throws MalformedBundleException when the bytes break the schema, naming the field
     * @throws UnsupportedFormatException for another format version or an unknown critical field
     */
    public static BundlePayload decode(byte[] cbor) throws MalformedBundleException, UnsupportedFormatException {
        CborMap m = CborMap.of(DeterministicCbor.decode(cbor), "");
        long version = m.uint(VERSION, "format-version");
        if (version != BundlePayload.FORMAT_VERSION) {
            throw new UnsupportedFormatException("bundle format version " + version + " is not supported (this reader: "
                    + BundlePayload.FORMAT_VERSION + ")");
        }
        m.requireOnlyKnownKeys(BUNDLE_KEYS);
        BundleKind kind = BundleKind.fromCode(m.uint(KIND, "kind"));
        List<CBORObject> template = m.array(TEMPLATE, "template");
        if (template.size() != 2 || template.get(0).getType() != CBORType.TextString
                || template.get(1).getType() != CBORType.Integer || !template.get(1).CanFitInInt32()) {
            throw new MalformedBundleException("template must be [id, version]");
        }
        List<ServerEntry> servers = new ArrayList<>();
        List<CBORObject> serverItems = m.array(SERVERS, "servers");
        for (int i = 0; i < serverItems.size(); i++) {
            servers.add(decodeServer(CborMap.of(serverItems.get(i), "servers[" + i + "]")));
        }
        try {
            return new BundlePayload((int) version, kind, m.bytes(BUNDLE_ID, "bundle-id"), m.uint(SEQUENCE, "sequence"),
                    Instant.ofEpochSecond(m.uint(ISSUED_AT, "issued-at")),
                    Instant.ofEpochSecond(m.uint(NOT_AFTER, "not-after")),
                    m.has(DEVICE) ? Eui64.fromBytes(m.bytes(DEVICE, "device")) : null,
                    new TemplateRef(template.get(0).AsString(), template.get(1).AsInt32()),
                    servers, decodePolicy(m.map(DTLS, "dtls")),
                    m.has(SECRETS_IN_CLEAR) && m.bool(SECRETS_IN_CLEAR, "secrets-in-clear"));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new MalformedBundleException("payload breaks a bundle rule: " + e.getMessage());
        }
    }

    private static CBORObject encodePolicy(DtlsPolicy p) {
        return CBORObject.NewMap()
                .Add(D_INITIAL_MS, p.initialRetransmission().toMillis())
                .Add(D_RESUMPTION, p.resumption())
                .Add(D_CONNECTION_ID, p.connectionId());
    }

    private static DtlsPolicy decodePolicy(CborMap m) throws MalformedBundleException, UnsupportedFormatException {
        m.requireOnlyKnownKeys(DTLS_KEYS);
        return new DtlsPolicy(Duration.ofMillis(m.uint(D_INITIAL_MS, "initial-retransmission-ms")),
                m.bool(D_RESUMPTION, "resumption"), m.bool(D_CONNECTION_ID, "connection-id"));
    }

    private static CBORObject encodeServer(ServerEntry s) {
        CBORObject suites = CBORObject.NewArray();
        s.cipherSuites().forEach(c -> suites.Add(c.code()));
        CBORObject m = CBORObject.NewMap()
                .Add(S_NAME, s.name())
                .Add(S_URI, s.uri().toString())
                .Add(S_MODE, s.mode().code())
                .Add(S_SUITES, suites)
                .Add(S_CREDENTIALS, encodeCredentials(s.credentials()));
        if (!s.host().equals(s.uri().getHost())) {
            m.Add(S_HOST, s.host());
        }
        return m;
    }

    private static ServerEntry decodeServer(CborMap m) throws MalformedBundleException, UnsupportedFormatException {
        m.requireOnlyKnownKeys(SERVER_KEYS);
        String name = m.text(S_NAME, "name");
        URI uri;
        try {
            uri = new URI(m.text(S_URI, "uri"));
        } catch (URISyntaxException e) {
            throw new MalformedBundleException(m.field(S_URI, "uri") + " is not a URI");
        }
        CredentialMode mode = CredentialMode.fromCode(m.uint(S_MODE, "mode"));
        List<CipherSuite> suites = new ArrayList<>();
        for (CBORObject code : m.array(S_SUITES, "cipher-suites")) {
            if (code.getType() != CBORType.Integer || !code.CanValueFitInInt64()) {
                throw new MalformedBundleException(m.field(S_SUITES, "cipher-suites") + " must hold integers");
            }
            suites.add(CipherSuite.fromCode(code.AsInt64Value()));
        }
        ServerCredentials credentials = decodeCredentials(mode, m.map(S_CREDENTIALS, "credentials"));
        try {
            return new ServerEntry(name, uri, m.has(S_HOST) ? m.text(S_HOST, "host") : null, mode, suites, credentials);
        } catch (IllegalArgumentException e) {
            throw new MalformedBundleException(e.getMessage());
        }
    }

    private static CBORObject encodeCredentials(ServerCredentials credentials) {
        CBORObject m = CBORObject.NewMap();
        if (credentials instanceof ServerCredentials.Psk psk) {
            putIfPresent(m, C_PSK_IDENTITY, psk.identity());
            putIfPresent(m, C_PSK_KEY, psk.key());
        } else if (credentials instanceof ServerCredentials.RawPublicKey rpk) {
            putIfPresent(m, C_PRIVATE_KEY, rpk.clientPrivateKey());
            putIfPresent(m, C_PUBLIC_KEY, rpk.clientPublicKey());
            putList(m, C_SERVER_KEYS, rpk.serverPublicKeys());
            putList(m, C_SERVER_PINS, rpk.serverKeyPins());
        } else if (credentials instanceof ServerCredentials.Certificates x509) {
            putIfPresent(m, C_PRIVATE_KEY, x509.clientPrivateKey());
            putList(m, C_CHAIN, x509.clientChain());
            putList(m, C_ANCHORS, x509.trustAnchors());
        }
        return m;
    }

    private static ServerCredentials decodeCredentials(CredentialMode mode, CborMap m)
            throws MalformedBundleException, UnsupportedFormatException {
        m.requireOnlyKnownKeys(CREDENTIAL_KEYS);
        switch (mode) {
            case PSK:
                return new ServerCredentials.Psk(m.optionalBytes(C_PSK_IDENTITY, "psk-identity"),
                        m.optionalBytes(C_PSK_KEY, "psk"));
            case RAW_PUBLIC_KEY:
                return new ServerCredentials.RawPublicKey(m.optionalBytes(C_PRIVATE_KEY, "private-key"),
                        m.optionalBytes(C_PUBLIC_KEY, "public-key"), m.byteStrings(C_SERVER_KEYS, "server-keys"),
                        m.byteStrings(C_SERVER_PINS, "server-key-pins"));
            default:
                return new ServerCredentials.Certificates(m.optionalBytes(C_PRIVATE_KEY, "private-key"),
                        m.byteStrings(C_CHAIN, "chain"), m.byteStrings(C_ANCHORS, "trust-anchors"));
        }
    }

    private static void putIfPresent(CBORObject m, int key, byte[] value) {
        if (value != null) {
            m.Add(key, value);
        }
    }

    private static void putList(CBORObject m, int key, List<byte[]> values) {
        if (!values.isEmpty()) {
            CBORObject a = CBORObject.NewArray();
            values.forEach(v -> a.Add(CBORObject.FromObject(v)));
            m.Add(key, a);
        }
    }
}
