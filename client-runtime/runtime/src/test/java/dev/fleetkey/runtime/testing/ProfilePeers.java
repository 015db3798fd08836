package dev.fleetkey.runtime.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.testing.TestBundles;

/**
 * The two kinds of profile handshake openssl 3.0 can serve, each as an openssl server and the device bundle
 * that talks to it: PSK, and ECDHE with X.509 certificates (openssl 3.0 has no RFC 7250 raw public keys).
 * The bundle's server is named {@code fleet}.
 */
public enum ProfilePeers {
    PSK, X509;

    public static final String SERVER_NAME = "fleet";
    public static final String HOST = "coap.fleet.example.net";
    public static final String IDENTITY = "device-7f3a";
    public static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    private static final URI SERVER_URI = URI.create("coaps://" + HOST + ":5684");

    /** Made once per test JVM: P-256 key generation is the slow part. */
    private static final class Pki {
        static final TestCertificates.Issued SERVER_CA = TestCertificates.ca("Fleet Server CA");
        static final TestCertificates.Issued DEVICE_CA = TestCertificates.ca("Fleet Device CA");
        static final TestCertificates.Issued DEVICE = TestCertificates.device(TestBundles.GOOD_DEVICE, DEVICE_CA);
        static final TestCertificates.Issued SERVER = TestCertificates.server(HOST, SERVER_CA);
    }

    /** The profile suite's code for this mode. */
    public int suite() {
        return this == PSK ? 0xC0A8 : 0xC0AE;
    }

    /** Starts openssl for this mode, writing any PEM files into {@code dir}. */
    public OpensslDtlsServer start(Path dir, List<String> moreArguments) throws IOException {
        if (this == PSK) {
            return OpensslDtlsServer.startPsk(IDENTITY, KEY, moreArguments);
        }
        Files.createDirectories(dir);
        return OpensslDtlsServer.startWithCertificate(
                TestCertificates.writePem(dir.resolve("server-cert.pem"), Pki.SERVER.certificate()),
                TestCertificates.writePem(dir.resolve("server-key.pem"), Pki.SERVER.privateKey()),
                TestCertificates.writePem(dir.resolve("device-ca.pem"), Pki.DEVICE_CA.certificate()), moreArguments);
    }

    /** A device bundle for this mode whose server {@code fleet} is the openssl of {@link #start}. */
    public BundlePayload bundle(DtlsPolicy policy) {
        if (this == PSK) {
            return DeviceBundles.psk(SERVER_NAME, SERVER_URI, IDENTITY.getBytes(StandardCharsets.UTF_8), KEY.clone(),
                    policy);
        }
        return DeviceBundles.x509(SERVER_NAME, SERVER_URI, null, Pki.DEVICE, Pki.DEVICE_CA.certificate(),
                Pki.SERVER_CA.certificate(), policy);
    }
}
