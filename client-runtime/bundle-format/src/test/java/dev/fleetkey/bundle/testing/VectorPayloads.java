package dev.fleetkey.bundle.testing;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.TemplateRef;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The payloads of the golden test vectors, with fixed times, ids and TEST ONLY keys. The x509 device
 * bundle carries a minimal client chain: the leaf alone, issued by the device CA the servers trust.
 */
public final class VectorPayloads {

    public static final Instant ISSUED_AT = Instant.parse("2030-01-01T00:00:00Z");
    public static final Instant NOT_AFTER = Instant.parse("2031-01-01T00:00:00Z");
    /** The time the vectors are checked at. */
    public static final Instant NOW = Instant.parse("2030-06-01T00:00:00Z");
    public static final Eui64 DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-55");
    public static final Eui64 OTHER_DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-56");
    public static final TemplateRef TEMPLATE = new TemplateRef("demo-sensor", 3);
    public static final long DEVICE_SEQUENCE = 5;
    public static final long FLEET_SEQUENCE = 3;

    public static final byte[] PSK_IDENTITY = HexFormat.of().parseHex("8f3a51c2d4e6f708192a3b4c");
    public static final byte[] PSK = HexFormat.of().parseHex("5f1e0c9b7a3d28e6c4f1a0b9d8e7c6b5");

    public static final KeyPair SIGNER_KEY = TestVectorKeys.key("bundle signer");
    public static final X509Certificate SIGNER = selfSigned("CN=Fleetkey TEST ONLY bundle signer", SIGNER_KEY, 1, false);
    public static final KeyPair UNTRUSTED_SIGNER_KEY = TestVectorKeys.key("untrusted bundle signer");
    public static final X509Certificate UNTRUSTED_SIGNER =
            selfSigned("CN=Fleetkey TEST ONLY untrusted signer", UNTRUSTED_SIGNER_KEY, 2, false);
    /** The station transport key the device bundles' secrets are sealed for. */
    public static final KeyPair RECIPIENT_KEY = TestVectorKeys.key("station transport key");
    public static final KeyPair OTHER_RECIPIENT_KEY = TestVectorKeys.key("another station transport key");

    static final KeyPair DEVICE_CA_KEY = TestVectorKeys.key("device CA");
    static final X509Certificate DEVICE_CA = selfSigned("CN=Fleetkey TEST ONLY device CA", DEVICE_CA_KEY, 3, true);
    static final KeyPair SERVER_ROOT_KEY = TestVectorKeys.key("server root");
    static final X509Certificate SERVER_ROOT = selfSigned("CN=Fleetkey TEST ONLY server root", SERVER_ROOT_KEY, 4, true);
    static final KeyPair DEVICE_KEY = TestVectorKeys.key("device key");
    static final X509Certificate DEVICE_CERT = TestVectorKeys.certificate("CN=" + DEVICE.canonical(), DEVICE_KEY,
            "CN=Fleetkey TEST ONLY device CA", DEVICE_CA_KEY.getPrivate(), 5, false, DEVICE.urn());
    static final KeyPair RPK_SERVER_KEY = TestVectorKeys.key("rpk server key");
    static final KeyPair RPK_SERVER_NEXT_KEY = TestVectorKeys.key("rpk server next key");

    private VectorPayloads() {
    }

    public static BundlePayload devicePsk(String label, boolean secretsInClear) {
        return payload(label, BundleKind.DEVICE, DEVICE, DEVICE_SEQUENCE, List.of(pskServer(PSK_IDENTITY, PSK)),
                DtlsPolicy.profileDefault(), secretsInClear);
    }

    public static BundlePayload deviceRpk() {
        ServerEntry rpk = new ServerEntry("telemetry", URI.create("coaps://telemetry.example.net:5684"), null,
                CredentialMode.RAW_PUBLIC_KEY, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.RawPublicKey(DEVICE_KEY.getPrivate().getEncoded(), DEVICE_KEY.getPublic().getEncoded(),
                        List.of(), List.of(Sha256.digest(RPK_SERVER_KEY.getPublic().getEncoded()))));
        return payload("device-rpk", BundleKind.DEVICE, DEVICE, DEVICE_SEQUENCE, List.of(rpk), DtlsPolicy.profileDefault(),
                false);
    }

    public static BundlePayload deviceX509() {
        ServerEntry x509 = new ServerEntry("x509", URI.create("coaps://x509.example.net:5684"), null,
                CredentialMode.X509, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.Certificates(DEVICE_KEY.getPrivate().getEncoded(), List.of(der(DEVICE_CERT)),
                        List.of(der(SERVER_ROOT))));
        return payload("device-x509", BundleKind.DEVICE, DEVICE, DEVICE_SEQUENCE, List.of(x509), DtlsPolicy.profileDefault(),
                false);
    }

    /** All three modes, no per-device secret; the RPK server pinned by its key and by the next key's hash (rotation overlap). */
    public static BundlePayload fleet() {
        ServerEntry rpk = new ServerEntry("telemetry", URI.create("coaps://telemetry.example.net:5684"), null,
                CredentialMode.RAW_PUBLIC_KEY, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.RawPublicKey(null, null, List.of(RPK_SERVER_KEY.getPublic().getEncoded()),
                        List.of(Sha256.digest(RPK_SERVER_NEXT_KEY.getPublic().getEncoded()))));
        ServerEntry x509 = new ServerEntry("x509", URI.create("coaps://203.0.113.7:5684"), "x509.example.net",
                CredentialMode.X509, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.Certificates(null, List.of(), List.of(der(SERVER_ROOT))));
        return payload("fleet", BundleKind.FLEET, null, FLEET_SEQUENCE, List.of(pskServer(null, null), rpk, x509),
                new DtlsPolicy(Duration.ofSeconds(12), true, true), false);
    }

    static ServerEntry pskServer(byte[] identity, byte[] key) {
        return new ServerEntry("fleetkey", URI.create("coaps://fleetkey.example.net:5684"), null, CredentialMode.PSK,
                List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8), new ServerCredentials.Psk(identity, key));
    }

    static BundlePayload payload(String label, BundleKind kind, Eui64 device, long sequence, List<ServerEntry> servers,
                                 DtlsPolicy policy, boolean secretsInClear) {
        byte[] id = Arrays.copyOf(Sha256.digest("bundle id " + label), 16);
        return new BundlePayload(BundlePayload.FORMAT_VERSION, kind, id, sequence, ISSUED_AT, NOT_AFTER, device, TEMPLATE,
                servers, policy, secretsInClear);
    }

    private static X509Certificate selfSigned(String name, KeyPair keys, long serial, boolean ca) {
        return TestVectorKeys.certificate(name, keys, name, keys.getPrivate(), serial, ca, null);
    }

    static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

}
