package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetkey.bundle.testing.SourceReferences;

/** The bundle format is shared by the service and the device, so it depends on neither (README.md). */
class ModuleBoundariesTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.springframework.", "org.eclipse.californium.", "picocli.", "dev.fleetkey.runtime.",
            "dev.fleetkey.device.", "dev.fleetkey.service."})
    void noMainSourceNames(String forbidden) {
        assertThat(SourceReferences.referencesTo(forbidden)).isEmpty();
    }
}
