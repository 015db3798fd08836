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
    @CsvSource({"00, 00%", "0011.22, 00-11-22%", "00:11:2, 00-11-2%", "' 00-11-22-ff ', 00-11-22-FF%"})
    void theFirstDigitsOfAnEui64MatchAsAPrefixOfItsCanonicalForm(String typed, String pattern) {
        assertThat(terms(new DeviceQuery(typed, null, null, null))).containsEntry("eui64", pattern);
    }

    @ParameterizedTest(name = "{0}={1}: {2}")
    @CsvSource({
            "state,              SLEEPING,   'Choose one of PROVISIONED, VERIFIED, FAILED, REVOKED'",
            "template,           Demo Sensor, Give a template id",
            "template,           demo@0,     Give a template id",
            "mode,               pki,        'Choose one of psk, rpk, x509'",
            "createdFrom,        yesterday,  createdFrom 'yesterday' is not a date",
            "createdTo,          2026-13-01, createdTo '2026-13-01' is not a date",
            "revoked,            maybe,      Write revoked=true",
            "certExpiringBefore, soon,       certExpiringBefore 'soon' is not a date"})
    void eachBadFilterValueIsReportedOnItsParameterWithWhatIsAllowed(String parameter, String value, String message) {
        DeviceQuery query = DeviceQuery.of(java.util.Map.of(parameter, value));
        assertThat(query.problems()).containsOnlyKeys(parameter);
        assertThat(query.problems().get(parameter)).startsWith(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2026-11-25, 2026-11-25T00:00Z", "2026-11-25T06:30:00Z, 2026-11-25T06:30Z"})
    void datesAreMidnightUtcAndInstantsAreTakenAsGiven(String typed, String instant) {
        assertThat(terms(DeviceQuery.of(java.util.Map.of("createdFrom", typed)))).containsEntry("createdFrom",
                java.time.OffsetDateTime.parse(instant));
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
        query.addTerms(terms, params, null, false);
        return params;
    }
}
