package dev.fleetkey.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetkey.bundle.testing.SourceReferences;

/** What the device runtime must not depend on (README.md). */
class ModuleBoundariesTest {

    @ParameterizedTest
    @ValueSource(strings = {"org.springframework.", "org.bouncycastle.", "picocli.", "dev.fleetkey.device.",
            "dev.fleetkey.service."})
    void noMainSourceNames(String forbidden) {
        assertThat(SourceReferences.referencesTo(forbidden)).isEmpty();
    }

    @Test
    void onlyTheDtlsAdapterNamesCalifornium() {
        assertThat(SourceReferences.referencesTo("org.eclipse.californium.",
                file -> !file.startsWith(Path.of("dev", "fleetkey", "runtime", "dtls")))).isEmpty();
    }
}
