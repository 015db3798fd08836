package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Sha256Test {

    /** FIPS 180-2 appendix B test vectors, and the empty message. */
    @ParameterizedTest
    @CsvSource({
            "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq, "
                    + "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"})
    void digestsMatchTheStandardsTestVectorsInEveryForm(String message, String expectedHex) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);

        assertThat(HexFormat.of().formatHex(Sha256.digest(bytes))).isEqualTo(expectedHex);
        assertThat(Sha256.digest(message)).hasSize(Sha256.LENGTH).isEqualTo(Sha256.digest(bytes));
        assertThat(Sha256.hex(bytes)).isEqualTo(expectedHex);
        assertThat(Sha256.hex(message)).isEqualTo(expectedHex);
    }
}
