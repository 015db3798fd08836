package dev.fleetkey.service.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTextTest {

    @ParameterizedTest(name = "[{0}] is taken as sent")
    @CsvSource(delimiter = '|', textBlock = """
            demo-sensor
            demo-sensor@2
            00-11-22-FF-FE-33-44-55
            line 3 station
            ''
            """)
    void aValueWithoutSurroundingSpacesOrControlCharactersIsTakenAsSent(String value) {
        assertThat(RequestText.exact("template", value)).isEqualTo(value);
    }

    @ParameterizedTest(name = "[{0}] is refused: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            'demo-sensor\\0'     | control character
            'demo-sensor '        | space at its start or end
            ' demo-sensor'        | space at its start or end
            'demo-\\tsensor'      | control character
            'demo-sensor\\n'      | control character
            'demo-sensor\\205'    | control character
            """)
    void aValueWithASurroundingSpaceOrAControlCharacterIsRefusedNamingTheField(String escaped, String why) {
        String value = escaped.translateEscapes();

        assertThatThrownBy(() -> RequestText.exact("template", value)).isInstanceOfSatisfying(InvalidFieldException.class,
                e -> {
                    assertThat(e.field()).isEqualTo("template");
                    assertThat(e.getMessage()).startsWith("template ").contains(why);
                });
    }
}
