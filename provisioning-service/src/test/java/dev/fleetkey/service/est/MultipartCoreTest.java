package dev.fleetkey.service.est;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The multipart-core answers of /skg are CBOR arrays whose heads take the shortest form (RFC 8949 section 3). */
class MultipartCoreTest {

    @ParameterizedTest(name = "{0} and {1} payload bytes start with {2}")
    @CsvSource({
            "284, 3, 84 19011c 43",
            "280, 23, 84 190118 57",
            "284, 24, 84 19011c 5818",
            "284, 300, 84 19011c 59012c",
            "284, 70000, 84 19011c 5a00011170"})
    void theArrayHeadAndTheFirstPartsHeadsAreShortest(int format, int length, String expectedStart) {
        byte[] encoded = MultipartCore.of(format, new byte[length], 281, new byte[] {7});

        String hex = HexFormat.of().formatHex(encoded);
        assertThat(hex).startsWith(expectedStart.replace(" ", ""));
        assertThat(hex).endsWith("190119" + "41" + "07");
    }

    @ParameterizedTest(name = "{0} bytes round-trip")
    @CsvSource({"0", "1", "255", "256", "65536"})
    void whatIsEncodedReadsBackAsTheSameFourItems(int length) {
        byte[] key = new byte[length];
        Arrays.fill(key, (byte) 0x5a);

        assertThat(MultipartCoreReader.read(MultipartCore.of(284, key, 281, new byte[] {1, 2})))
                .containsExactly(284L, key, 281L, new byte[] {1, 2});
    }
}
