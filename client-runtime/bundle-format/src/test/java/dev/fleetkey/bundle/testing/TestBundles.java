package dev.fleetkey.bundle.testing;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.BundleSigner;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.TemplateRef;
import java.net.URI;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Shared fixtures: GOOD_ values are valid bundles of each mode; the signer is generated per JVM. */
public final class TestBundles {

    public static final Eui64 GOOD_DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-55");
    public static final Eui64 OTHER_DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-56");
    public static final byte[] GOOD_PSK_IDENTITY = HexFormat.of().parseHex("8f3a51c2d4e6f708192a3b4c");
    public static final byte[] GOOD_PSK = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
    public static final TemplateRef GOOD_TEMPLATE = new TemplateRef("demo-sensor", 1);
    public static final URI GOOD_SERVER_URI = URI.create("coaps://localhost:5684");

    /** The signer of GOOD_ bundles: a self-signed P-256 certificate made once per test JVM. */
    public static final TestPki.Identity SIGNER = TestPki.selfSignedSigner("Fleetkey test bundle signer");

    private TestBundles() {
    }

    public static BundleSigner signer() {
        return new BundleSigner(SIGNER.privateKey(), SIGNER.certificate(), false);
    }

    /** A device bundle with one PSK server, sequence {@code sequence}, valid for a year from now. */
    public static BundlePayload pskDevicePayload(long sequence) {
        return payload(BundleKind.DEVICE, GOOD_DEVICE, sequence, List.of(pskServer("fleetkey", GOOD_SERVER_URI)));
    }

    public static ServerEntry pskServer(String name, URI uri) {
        return new ServerEntry(name, uri, null, CredentialMode.PSK, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8),
                new ServerCredentials.Psk(GOOD_PSK_IDENTITY, GOOD_PSK));
    }

    /** A device bundle with one raw-public-key server pinned by its key. */
    public static BundlePayload rpkDevicePayload(long sequence) {
        var client = TestPki.p256();
        var server = TestPki.p256();
        ServerEntry entry = new ServerEntry("rpk-server", URI.create("coaps://rpk.example.net:5684"), null,
                CredentialMode.RAW_PUBLIC_KEY, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.RawPublicKey(client.getPrivate().getEncoded(), client.getPublic().getEncoded(),
                        List.of(server.getPublic().getEncoded()), List.of()));
        return payload(BundleKind.DEVICE, GOOD_DEVICE, sequence, List.of(entry));
    }

    /** A device bundle with one certificate server: a client chain of two and one trust anchor. */
    public static BundlePayload x509DevicePayload(long sequence) {
        var root = TestPki.selfSignedCa("Test Root");
        var issuing = TestPki.issuedSigner("Test Device CA", root);
        var leaf = TestPki.issuedSigner(GOOD_DEVICE.canonical(), issuing);
        try {
            ServerEntry entry = new ServerEntry("x509-server", URI.create("coaps://x509.example.net:5684"), null,
                    CredentialMode.X509, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                    new ServerCredentials.Certificates(leaf.privateKey().getEncoded(),
                            List.of(leaf.certificate().getEncoded(), issuing.certificate().getEncoded()),
                            List.of(root.certificate().getEncoded())));
            return payload(BundleKind.DEVICE, GOOD_DEVICE, sequence, List.of(entry));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fleet bundle: a PSK server without secrets. */
    public static BundlePayload fleetPayload(long sequence) {
        ServerEntry entry = new ServerEntry("fleetkey", GOOD_SERVER_URI, null, CredentialMode.PSK,
                List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8), new ServerCredentials.Psk(null, null));
        return payload(BundleKind.FLEET, null, sequence, List.of(entry));
    }

    public static BundlePayload payload(BundleKind kind, Eui64 device, long sequence, List<ServerEntry> servers) {
        Instant now = Instant.now();
        byte[] id = new byte[16];
        id[15] = (byte) sequence;
        return new BundlePayload(BundlePayload.FORMAT_VERSION, kind, id, sequence, now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofDays(365)), device, GOOD_TEMPLATE, servers, DtlsPolicy.profileDefault(), true);
    }
}
