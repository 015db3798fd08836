package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireCodedTest {

    @Test
    void everyConstantIsFoundByItsWireValueAndAnUnknownValueFindsNone() {
        for (CredentialMode mode : CredentialMode.values()) {
            assertThat(WireCoded.byCode(CredentialMode.class, mode.code())).contains(mode);
        }
        assertThat(WireCoded.byCode(CipherSuite.class, 0xC0AE)).contains(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        assertThat(WireCoded.byCode(BundleKind.class, 3)).isEmpty();
    }

    @Test
    void anUnknownWireValueInABundleIsRefusedNamingTheValuesExpected() {
        assertThatThrownBy(() -> BundleKind.fromCode(7)).isInstanceOf(MalformedBundleException.class)
                .hasMessageContaining("unknown bundle kind 7 (expected 1 = device or 2 = fleet)");
        assertThatThrownBy(() -> CipherSuite.fromCode(0xC0A9)).isInstanceOf(MalformedBundleException.class)
                .hasMessageContaining("cipher suite 0xC0A9 is not allowed");
    }
}
