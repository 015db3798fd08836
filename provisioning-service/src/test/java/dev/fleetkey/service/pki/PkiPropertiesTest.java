package dev.fleetkey.service.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class PkiPropertiesTest {

    private static PkiProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("fleetkey.pki", PkiProperties.class);
    }

    @Test
    void theOrganizationOfTheCasIsReadFromFleetkeyPkiOrganizationAndIsFleetkeyWhenUnset() {
        assertThat(bind(Map.of("fleetkey.pki.organization", "ACME Sensors")).organization()).isEqualTo("ACME Sensors");
        assertThat(bind(Map.of()).organization()).isEqualTo("Fleetkey");
    }

    @Test
    void aBlankOrganizationIsRefusedAtStartUpNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("fleetkey.pki.organization", " ")))
                .rootCause().hasMessageContaining("fleetkey.pki.organization must not be empty");
    }

    @Test
    void anOrganizationTooLongForX509IsRefusedSayingTheLimit() {
        assertThatThrownBy(() -> bind(Map.of("fleetkey.pki.organization", "x".repeat(65))))
                .rootCause().hasMessageContaining("fleetkey.pki.organization is 65 characters long")
                .hasMessageContaining("at most 64");
    }
}
