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
            DEVICE = 7, TEMPLATE = 8, SERVERS = 9, DTLS = 10, SECRETS_IN_CLEAR = 11, SEALED_SECRETS = 12;
    /** Advisory, so an extension key (FORMAT.md section 6): readers that do not know it ignore it. */
    static final int RENEW_BEFORE = -2;
    // server map
    static final int S_NAME = 1, S_URI = 2, S_HOST = 3, S_MODE = 4, S_SUITES = 5, S_CREDENTIALS = 6;
    // credentials map
    static final int C_PSK_IDENTITY = 1, C_PSK_KEY = 2, C_PRIVATE_KEY = 3, C_PUBLIC_KEY = 4,
            C_SERVER_KEYS = 5, C_SERVER_PINS = 6, C_CHAIN = 7, C_ANCHORS = 8;
    // dtls policy map
    static final int D_INITIAL_MS = 1, D_RESUMPTION = 2, D_CONNECTION_ID = 3;

    private static final Set<Integer> BUNDLE_KEYS =
            Set.of(VERSION, KIND, BUNDLE_ID, SEQUENCE, ISSUED_AT, NOT_AFTER, DEVICE, TEMPLATE, SERVERS, DTLS,
                    SECRETS_IN_CLEAR, SEALED_SECRETS);
    private static final Set<Integer> SERVER_KEYS = Set.of(S_NAME, S_URI, S_HOST, S_MODE, S_SUITES, S_CREDENTIALS);
    // the credential keys each mode uses; another mode's key is an unknown critical field
    private static final Set<Integer> PSK_KEYS = Set.of(C_PSK_IDENTITY, C_PSK_KEY);
    private static final Set<Integer> RPK_KEYS = Set.of(C_PRIVATE_KEY, C_PUBLIC_KEY, C_SERVER_KEYS, C_SERVER_PINS);
    private static final Set<Integer> X509_KEYS = Set.of(C_PRIVATE_KEY, C_CHAIN, C_ANCHORS);
    private static final Set<Integer> DTLS_KEYS = Set.of(D_INITIAL_MS, D_RESUMPTION, D_CONNECTION_ID);

    private BundleCodec() {
    }

    /**
     * Encodes {@code payload} in deterministic CBOR: equal payloads give equal bytes.
     *
     * @throws IllegalArgumentException for a device payload holding secrets in clear without its
     *     {@code secretsInClear} flag: seal them first ({@link BundleSecrets#seal}) or set the flag
     */
    public static byte[] encode(BundlePayload payload) {
        if (payload.kind() == BundleKind.DEVICE && payload.hasClearSecrets() && !payload.secretsInClear()) {
            throw new IllegalArgumentException("device bundle " + payload.bundleIdHex() + " holds secrets in clear"
                    + " without the secretsInClear flag: seal them with BundleSecrets.seal, or set the flag"
                    + " (only templates that allow clear secrets may)");
        }
        CBORObject m = CBORObject.NewMap()
                .Add(VERSION, payload.formatVersion())
                .Add(KIND, payload.kind().code())
                .Add(BUNDLE_ID, payload.bundleId())
                .Add(SEQUENCE, payload.sequence())
                .Add(ISSUED_AT, payload.issuedAt().getEpochSecond())
                .Add(NOT_AFTER, payload.notAfter().getEpochSecond())
                .Add(TEMPLATE, CBORObject.NewArray().Add(payload.template().id()).Add(payload.template().version()));
        if (!payload.dtlsPolicy().equals(DtlsPolicy.profileDefault())) {
            m.Add(DTLS, encodePolicy(payload.dtlsPolicy()));
        }
        if (payload.device() != null) {
            m.Add(DEVICE, payload.device().toBytes());
        }
        CBORObject servers = CBORObject.NewArray();
        payload.servers().forEach(s -> servers.Add(encodeServer(s)));
        m.Add(SERVERS, servers);
        if (payload.secretsInClear()) {
            m.Add(SECRETS_IN_CLEAR, true);
        }
        if (payload.hasSealedSecrets()) {
            m.Add(SEALED_SECRETS, payload.sealedSecrets());
        }
        if (payload.renewBefore() != null) {
            m.Add(RENEW_BEFORE, payload.renewBefore().getSeconds());
        }
        return DeterministicCbor.encode(m);
    }

    /**
     * Decodes a payload, strictly: deterministic encoding, every required field present and typed,
     * no unknown critical field.
     *
     * @throws MalformedBundleException when the bytes break the schema, naming the field
     * @throws UnsupportedFormatException for another format version or an unknown critical field
     * @throws ClearSecretsException for a device bundle holding secrets in clear without saying so
     */
    public static BundlePayload decode(byte[] cbor)
            throws MalformedBundleException, UnsupportedFormatException, ClearSecretsException {
        CborMap m = CborMap.of(DeterministicCbor.decode(cbor), "");
        long version = m.uint(VERSION, "format-version");
        if (version != BundlePayload.FORMAT_VERSION) {
            throw new UnsupportedFormatException("bundle format version " + version + " is not supported (this reader: "
                    + BundlePayload.FORMAT_VERSION + ")");
        }
        m.requireOnlyKnownKeys(BUNDLE_KEYS);
        BundleKind kind = BundleKind.fromCode(m.uint(KIND, "kind"));
        List<CBORObject> template = m.templateReference(TEMPLATE, "template");
        List<ServerEntry> servers = new ArrayList<>();
        List<CBORObject> serverItems = m.array(SERVERS, "servers");
        for (int i = 0; i < serverItems.size(); i++) {
            servers.add(decodeServer(CborMap.of(serverItems.get(i), "servers[" + i + "]")));
        }
        BundlePayload payload;
        try {
            payload = new BundlePayload((int) version, kind, m.bytes(BUNDLE_ID, "bundle-id"), m.uint(SEQUENCE, "sequence"),
                    Instant.ofEpochSecond(m.uint(ISSUED_AT, "issued-at")),
                    Instant.ofEpochSecond(m.uint(NOT_AFTER, "not-after")),
                    m.has(DEVICE) ? Eui64.fromBytes(m.bytes(DEVICE, "device")) : null,
                    new TemplateRef(template.get(0).AsString(), template.get(1).AsInt32()),
                    servers, m.has(DTLS) ? decodePolicy(m.map(DTLS, "dtls")) : DtlsPolicy.profileDefault(),
                    m.has(SECRETS_IN_CLEAR) && trueOnly(m, SECRETS_IN_CLEAR, "secrets-in-clear"),
                    m.optionalBytes(SEALED_SECRETS, "sealed-secrets"),
                    m.has(RENEW_BEFORE) ? Duration.ofSeconds(m.uint(RENEW_BEFORE, "renew-before")) : null);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new MalformedBundleException("payload breaks a bundle rule: " + e.getMessage());
        }
        if (payload.kind() == BundleKind.DEVICE && payload.hasClearSecrets() && !payload.secretsInClear()) {
            throw new ClearSecretsException("device bundle carries secrets in clear but is not marked secrets-in-clear:"
                    + " refusing it (a production bundle seals its secrets for the device or station)");
        }
        return payload;
    }

    /** A flag present only when true: one encoding per payload. */
    private static boolean trueOnly(CborMap m, int key, String name) throws MalformedBundleException {
        if (!m.bool(key, name)) {
            throw new MalformedBundleException(m.field(key, name) + " is written only when true");
        }
        return true;
    }

    /** Encodes one server's secret parts (the clear-text form, reused inside the sealed envelope). */
    static CBORObject encodeSecretParts(ServerCredentials credentials) {
        CBORObject m = CBORObject.NewMap();
        if (credentials instanceof ServerCredentials.Psk psk) {
            putIfPresent(m, C_PSK_KEY, psk.key());
        } else if (credentials instanceof ServerCredentials.RawPublicKey rpk) {
            putIfPresent(m, C_PRIVATE_KEY, rpk.clientPrivateKey());
        } else if (credentials instanceof ServerCredentials.Certificates x509) {
            putIfPresent(m, C_PRIVATE_KEY, x509.clientPrivateKey());
        }
        return m;
    }

    private static CBORObject encodePolicy(DtlsPolicy p) {
        return CBORObject.NewMap()
                .Add(D_INITIAL_MS, p.initialRetransmission().toMillis())
                .Add(D_RESUMPTION, p.resumption())
                .Add(D_CONNECTION_ID, p.connectionId());
    }

    /** The policy; absent means the profile default, so a present one must differ from it (one encoding per payload). */
    private static DtlsPolicy decodePolicy(CborMap m) throws MalformedBundleException, UnsupportedFormatException {
        m.requireOnlyKnownKeys(DTLS_KEYS);
        DtlsPolicy policy = new DtlsPolicy(Duration.ofMillis(m.uint(D_INITIAL_MS, "initial-retransmission-ms")),
                m.bool(D_RESUMPTION, "resumption"), m.bool(D_CONNECTION_ID, "connection-id"));
        if (policy.equals(DtlsPolicy.profileDefault())) {
            throw new MalformedBundleException("dtls equals the profile default and must then be omitted");
        }
        return policy;
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
        if (m.has(S_HOST) && m.text(S_HOST, "host").equals(uri.getHost())) {
            throw new MalformedBundleException(m.field(S_HOST, "host") + " equals the URI's host and must then be omitted");
        }
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
        switch (mode) {
            case PSK:
                m.requireOnlyKnownKeys(PSK_KEYS);
                return new ServerCredentials.Psk(m.optionalBytes(C_PSK_IDENTITY, "psk-identity"),
                        m.optionalBytes(C_PSK_KEY, "psk"));
            case RAW_PUBLIC_KEY:
                m.requireOnlyKnownKeys(RPK_KEYS);
                List<byte[]> pins = m.byteStrings(C_SERVER_PINS, "server-key-pins");
                if (pins.stream().anyMatch(pin -> pin.length != 32)) {
                    throw new MalformedBundleException(m.field(C_SERVER_PINS, "server-key-pins") + " must be SHA-256 hashes (32 bytes)");
                }
                return new ServerCredentials.RawPublicKey(m.optionalBytes(C_PRIVATE_KEY, "private-key"),
                        m.optionalBytes(C_PUBLIC_KEY, "public-key"), m.byteStrings(C_SERVER_KEYS, "server-keys"), pins);
            default:
                m.requireOnlyKnownKeys(X509_KEYS);
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
