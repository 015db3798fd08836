package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Eui64Test {

    @ParameterizedTest
    @ValueSource(strings = {"00-11-22-FF-FE-33-44-55", "00:11:22:ff:fe:33:44:55", "001122fffe334455",
            "001122FFFE334455", " 00-11-22-ff-FE-33-44-55 "})
    void acceptedSpellingsGiveOneCanonicalForm(String spelling) {
        Eui64 eui = Eui64.parse(spelling);
        assertThat(eui.canonical()).isEqualTo("00-11-22-FF-FE-33-44-55");
        assertThat(eui.urn()).isEqualTo("urn:dev:mac:001122fffe334455");
        assertThat(Eui64.fromBytes(eui.toBytes())).isEqualTo(eui);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00-11-22-FF-FE-33-44", "00-11-22-FF-FE-33-44-55-66", "00-11:22-FF-FE-33-44-55",
            "0011-22FF-FE33-4455", "zz-11-22-FF-FE-33-44-55", "001122fffe33445"})
    void otherSpellingsAreRefusedWithTheAcceptedForms(String spelling) {
        assertThatThrownBy(() -> Eui64.parse(spelling))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("00-11-22-FF-FE-33-44-55");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FF-FF-FF-FF-FF-FF-FF-FF", "80-00-00-00-00-00-00-01"})
    void highBitValuesRoundTrip(String spelling) {
        assertThat(Eui64.parse(spelling).canonical()).isEqualTo(spelling);
    }
}
