package dev.fleetkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import java.net.URI;
import java.security.KeyPair;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.runtime.testing.DeviceBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

import dev.fleetkey.bundle.testing.TestBundles;

class SecureSessionTest {

    private static final KeyPair DEVICE = TestCertificates.p256();
    private static final Optional<InetSocketAddress> LOCAL =
            Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5684));

    @Test
    void unknownServerNameListsTheNamesTheBundleHas() {
        assertThatThrownBy(() -> SecureSession.open(TestBundles.pskDevicePayload(1), "billing", LOCAL))
                .isInstanceOfSatisfying(UnknownServerException.class, e -> {
                    assertThat(e.requested()).isEqualTo("billing");
                    assertThat(e.known()).containsExactly("fleetkey");
                })
                .hasMessage("the bundle names no server 'billing'; it names: fleetkey");
    }

    @Test
    void fleetBundleCannotOpenASessionBecauseItHasNoPsk() {
        assertThatThrownBy(() -> SecureSession.open(TestBundles.fleetPayload(1), "fleetkey", LOCAL))
                .isInstanceOf(ServerConfigurationException.class)
                .hasMessageContaining("has no PSK").hasMessageContaining("device's own credential bundle");
    }

    @Test
    void rawPublicKeyBundleWithoutAnyServerKeyIsRefusedNamingWhatIsMissing() {
        BundlePayload bundle = DeviceBundles.bundle(new ServerEntry("rpk", URI.create("coaps://rpk.example.net"), null,
                CredentialMode.RAW_PUBLIC_KEY, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.RawPublicKey(DEVICE.getPrivate().getEncoded(), DEVICE.getPublic().getEncoded(),
                        List.of(), List.of())), DeviceBundles.FAST);

        assertThatThrownBy(() -> SecureSession.open(bundle, "rpk", LOCAL))
                .isInstanceOf(ServerConfigurationException.class)
                .hasMessageContaining("server 'rpk'").hasMessageContaining("pin the server's raw public key");
    }

    @Test
    void privateKeyOffTheProfileCurveIsRefused() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        KeyPair p384 = generator.generateKeyPair();
        BundlePayload bundle = DeviceBundles.rpk("rpk", URI.create("coaps://rpk.example.net"), p384,
                DEVICE.getPublic(), DeviceBundles.FAST);

        assertThatThrownBy(() -> SecureSession.open(bundle, "rpk", LOCAL))
                .isInstanceOf(ServerConfigurationException.class).hasMessageContaining("secp256r1");
    }

    @Test
    void rawPublicKeyAndCertificateBundlesOpenSessions() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("Device CA");
        TestCertificates.Issued device = TestCertificates.device(TestBundles.GOOD_DEVICE, ca);
        try (SecureSession rpk = SecureSession.open(TestBundles.rpkDevicePayload(1), "rpk-server", LOCAL);
             SecureSession x509 = SecureSession.open(DeviceBundles.x509("x509", URI.create("coaps://x.example.net"),
                     null, device, ca.certificate(), ca.certificate(), DeviceBundles.FAST), "x509", LOCAL)) {
            assertThat(rpk.server()).isEqualTo(LOCAL.get());
            assertThat(x509.server()).isEqualTo(LOCAL.get());
        }
    }

    @Test
    void openingASessionWritesNoCaliforniumPropertiesFile() throws Exception {
        Path workingDirectory = Path.of("").toAbsolutePath();
        try (SecureSession session = SecureSession.open(TestBundles.pskDevicePayload(1), "fleetkey", LOCAL)) {
            assertThat(session.server()).isEqualTo(LOCAL.get());
        }
        assertThat(Files.exists(workingDirectory.resolve("Californium3.properties"))).isFalse();
    }
}
