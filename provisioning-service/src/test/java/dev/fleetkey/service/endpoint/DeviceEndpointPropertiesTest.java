package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class DeviceEndpointPropertiesTest {

    private static DeviceEndpointProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("fleetkey.device-endpoint", DeviceEndpointProperties.class);
    }

    @Test
    void theEndpointsServerNameAndHostAreReadFromTheirSettingsWithTheDocumentedDefaults() {
        DeviceEndpointProperties set = bind(Map.of("fleetkey.device-endpoint.server-name", "coaps-eu",
                "fleetkey.device-endpoint.host", "coaps.example.com"));
        assertThat(set.serverName()).isEqualTo("coaps-eu");
        assertThat(set.host()).isEqualTo("coaps.example.com");

        DeviceEndpointProperties defaults = bind(Map.of());
        assertThat(defaults.serverName()).isEqualTo("fleetkey");
        assertThat(defaults.host()).isEqualTo("localhost");
        assertThat(defaults.port()).isEqualTo(5684);
    }

    @Test
    void aHostWithASpaceIsRefusedAtStartUpNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> bind(Map.of("fleetkey.device-endpoint.host", "coaps example.com")))
                .rootCause().hasMessageContaining("fleetkey.device-endpoint.host is 'coaps example.com'");
    }

    @Test
    void anEmptyServerNameIsRefusedAtStartUpNamingTheSetting() {
        assertThatThrownBy(() -> bind(Map.of("fleetkey.device-endpoint.server-name", "")))
                .rootCause().hasMessageContaining("fleetkey.device-endpoint.server-name must not be empty");
    }
}
