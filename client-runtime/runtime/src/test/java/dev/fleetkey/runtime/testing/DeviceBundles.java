package dev.fleetkey.runtime.testing;

import java.net.URI;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.bundle.testing.TestBundles;

/**
 * Device bundle payloads with one server each, for DTLS tests: short retransmission timers (a refused
 * handshake fails in seconds, not the profile's minutes) and the device {@link TestBundles#GOOD_DEVICE}.
 */
public final class DeviceBundles {

    /** 300 ms initial timer, resumption on, no Connection ID. */
    public static final DtlsPolicy FAST = new DtlsPolicy(Duration.ofMillis(300), true, false);

    private DeviceBundles() {
    }

    public static BundlePayload psk(String name, URI uri, byte[] identity, byte[] key, DtlsPolicy policy) {
        return bundle(new ServerEntry(name, uri, null, CredentialMode.PSK,
                List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8), new ServerCredentials.Psk(identity, key)), policy);
    }

    /** Raw public keys: the server listed by its full key. */
    public static BundlePayload rpk(String name, URI uri, KeyPair device, PublicKey server, DtlsPolicy policy) {
        return rpk(name, uri, device, List.of(server.getEncoded()), List.of(), policy);
    }

    /** Raw public keys: the server pinned by the SHA-256 of its key only. */
    public static BundlePayload rpkPinned(String name, URI uri, KeyPair device, PublicKey server, DtlsPolicy policy) {
        return rpk(name, uri, device, List.of(), List.of(Sha256.digest(server.getEncoded())), policy);
    }

    private static BundlePayload rpk(String name, URI uri, KeyPair device, List<byte[]> keys, List<byte[]> pins,
                                     DtlsPolicy policy) {
        return bundle(new ServerEntry(name, uri, null, CredentialMode.RAW_PUBLIC_KEY,
                List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8), new ServerCredentials.RawPublicKey(
                        device.getPrivate().getEncoded(), device.getPublic().getEncoded(), keys, pins)), policy);
    }

    /** Certificates: the device's leaf and issuing CA, the server's trust anchor, the host to match. */
    public static BundlePayload x509(String name, URI uri, String host, TestCertificates.Issued device,
                                     X509Certificate deviceCa, X509Certificate serverAnchor, DtlsPolicy policy) {
        return bundle(new ServerEntry(name, uri, host, CredentialMode.X509,
                List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8), new ServerCredentials.Certificates(
                        device.privateKey().getEncoded(), TestCertificates.der(device.certificate(), deviceCa),
                        TestCertificates.der(serverAnchor))), policy);
    }

    public static BundlePayload bundle(ServerEntry server, DtlsPolicy policy) {
        Instant now = Instant.now();
        return new BundlePayload(BundlePayload.FORMAT_VERSION, BundleKind.DEVICE, new byte[16], 1,
                now.minusSeconds(60), now.plus(Duration.ofDays(1)), TestBundles.GOOD_DEVICE, TestBundles.GOOD_TEMPLATE,
                List.of(server), policy, true);
    }
}
