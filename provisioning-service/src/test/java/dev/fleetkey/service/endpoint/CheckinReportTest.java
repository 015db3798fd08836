package dev.fleetkey.service.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.upokecenter.cbor.CBORObject;

/** Check-in bodies: CBOR and JSON read the same; each bad body is refused with what to fix. */
class CheckinReportTest {

    @Test
    void cborAndJsonBodiesReadTheSame() {
        byte[] cbor = CBORObject.NewMap().Add("firmware", "1.4.2").Add("device-sequence", 3).Add("fleet-sequence", 7)
                .EncodeToBytes();
        byte[] json = "{\"firmware\":\"1.4.2\",\"device-sequence\":3,\"fleet-sequence\":7}"
                .getBytes(StandardCharsets.UTF_8);

        CheckinReport fromCbor = CheckinReport.parse(cbor, CheckinReport.CBOR);
        CheckinReport fromJson = CheckinReport.parse(json, CheckinReport.JSON);

        assertThat(fromCbor).isEqualTo(fromJson);
        assertThat(fromCbor.firmwareVersion()).isEqualTo("1.4.2");
        assertThat(fromCbor.deviceSequence()).hasValue(3);
        assertThat(fromCbor.fleetSequence()).hasValue(7);
        assertThat(fromCbor.claimedDevice()).isNull();
    }

    @Test
    void sequencesAreOptional() {
        CheckinReport report = CheckinReport.parse("{\"firmware\":\"2\"}".getBytes(StandardCharsets.UTF_8),
                CheckinReport.JSON);

        assertThat(report.deviceSequence()).isEmpty();
        assertThat(report.fleetSequence()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{}|\"firmware\" (text, the firmware version) is missing",
            "{\"firmware\":\"\"}|1..64 printable ASCII",
            "{\"firmware\":\"1 0\"}|1..64 printable ASCII",
            "{\"firmware\":\"1\",\"device-sequence\":-1}|must not be negative",
            "{\"firmware\":\"1\",\"fleet-sequence\":\"7\"}|\"fleet-sequence\" must be an unsigned integer",
            "{\"firmware\":\"1\",\"sequence\":1}|unknown check-in field",
            "[1,2]|must be a map",
            "{\"firmware\":|not well-formed JSON"})
    void badJsonBodiesAreRefusedNamingTheFix(String body, String message) {
        assertThatThrownBy(() -> CheckinReport.parse(body.getBytes(StandardCharsets.UTF_8), CheckinReport.JSON))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void otherContentFormatsAreRefused() {
        assertThatThrownBy(() -> CheckinReport.parse(new byte[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CBOR (Content-Format 60) or JSON (50)");
    }
}
