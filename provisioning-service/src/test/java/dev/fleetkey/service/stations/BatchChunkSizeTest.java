package dev.fleetkey.service.stations;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchChunkSizeTest {

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 1_001})
    void chunkSizeOutsideOneToAThousandStopsStartUpNamingSettingAndValue(int chunkSize) {
        assertThatThrownBy(() -> new BatchProperties(chunkSize))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fleetkey.batches.chunk-size is " + chunkSize)
                .hasMessageContaining("1 to 1000");
    }
}
