package dev.fleetkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.testing.TestBundles;

class SecureSessionTest {

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
    void modesOtherThanPskAreRefusedByNameUntilSupported() {
        assertThatThrownBy(() -> SecureSession.open(TestBundles.rpkDevicePayload(1), "rpk-server", LOCAL))
                .isInstanceOf(ServerConfigurationException.class)
                .hasMessageContaining("RAW_PUBLIC_KEY");
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
