package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetkey.bundle.testing.SourceReferences;

/** The CLI talks DTLS through the runtime and CMS through the bundle format, never directly (README.md). */
class ModuleBoundariesTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.springframework.", "org.eclipse.californium.", "org.bouncycastle.",
            "dev.fleetkey.service.", "dev.fleetkey.runtime.dtls."})
    void noMainSourceNames(String forbidden) {
        assertThat(SourceReferences.referencesTo(forbidden)).isEmpty();
    }
}
