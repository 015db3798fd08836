package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the device search reads what was typed into each field. */
class DeviceQueryTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "00-11-22-FF-FE-33-44-55, 00-11-22-FF-FE-33-44-55",
            "00:11:22:ff:fe:33:44:55, 00-11-22-FF-FE-33-44-55",
            "001122fffe334455,        00-11-22-FF-FE-33-44-55",
            "' 0011.22ff.fe33.4455 ', 00-11-22-FF-FE-33-44-55"})
    void aFullEui64InAnySpellingMatchesExactly(String typed, String canonical) {
        Map<String, Object> params = terms(new DeviceQuery(typed, null, null, null));
        assertThat(params).containsEntry("eui64", canonical);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"fe33, %FE33%", "33-44-55, %334455%", "ff:fe, %FFFE%"})
    void partOfAnEui64MatchesItsDigitsInOrder(String typed, String pattern) {
        assertThat(terms(new DeviceQuery(typed, null, null, null))).containsEntry("eui64", pattern);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "eui64,    xyz,       Give an EUI-64",
            "eui64,    00112233445566778899, Give an EUI-64",
            "identity, abc,       Give the PSK identity as hex digits",
            "identity, zz,        Give the PSK identity as hex digits",
            "state,    SLEEPING,  Choose one of"})
    void inputThatCannotMatchIsReportedOnItsField(String field, String typed, String message) {
        DeviceQuery query = new DeviceQuery(field.equals("eui64") ? typed : null, field.equals("identity") ? typed : null,
                field.equals("state") ? typed : null, null);
        assertThat(query.problems()).containsOnlyKeys(field);
        assertThat(query.problems().get(field)).startsWith(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0a1b2c3d", "0A:1B:2C:3D", "'0a 1b 2c 3d'"})
    void identityIsReadAsHexWithSeparatorsIgnored(String typed) {
        assertThat((byte[]) terms(new DeviceQuery(null, typed, null, null)).get("identity"))
                .isEqualTo(HexFormat.of().parseHex("0a1b2c3d"));
    }

    private static Map<String, Object> terms(DeviceQuery query) {
        assertThat(query.problems()).isEmpty();
        List<String> terms = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        query.addTerms(terms, params);
        return params;
    }
}
