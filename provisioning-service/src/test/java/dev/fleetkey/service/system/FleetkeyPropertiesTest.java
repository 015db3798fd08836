package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class FleetkeyPropertiesTest {

    private static FleetkeyProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("fleetkey", FleetkeyProperties.class);
    }

    @Test
    void theFirmwareDirectoryIsReadFromFleetkeyFirmwareDirWithTheDocumentedDefault() {
        assertThat(bind(Map.of("fleetkey.firmware-dir", "/srv/packages")).firmwareDir()).isEqualTo(Path.of("/srv/packages"));
        FleetkeyProperties defaults = bind(Map.of());
        assertThat(defaults.firmwareDir()).isEqualTo(Path.of("./firmware-bundles/packages").normalize());
        assertThat(defaults.dataDir()).isEqualTo(Path.of("./data").normalize());
    }
}
