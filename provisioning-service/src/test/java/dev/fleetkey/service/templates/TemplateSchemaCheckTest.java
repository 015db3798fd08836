package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The editor's JSON Schema check names each problem's field as the parser does, with its line. */
class TemplateSchemaCheckTest {

    private static final String BASE = """
            id: schema-check
            version: 1
            servers:
              - name: coap
                uri: coaps://localhost:5684
                mode: psk
            """;

    @ParameterizedTest(name = "{0} -> {1} line {2}")
    @CsvSource(delimiter = '|', value = {
            "mode: psk|mode: pki|servers[0].mode|6",
            "version: 1|version: 0|version|2",
            "id: schema-check|id: Schema Check|id|1",
            "    mode: psk|    mode: psk\\n    colour: red|servers[0].colour|7"})
    void aProblemIsReportedOnTheParsersFieldNameAndItsLine(String from, String to, String field, int line) {
        String yaml = BASE.replace(from, to.replace("\\n", "\n"));

        assertThat(TemplateSchemaCheck.problems(yaml)).first().satisfies(p -> {
            assertThat(p.field()).isEqualTo(field);
            assertThat(p.line()).isEqualTo(line);
            assertThat(p.message()).isNotBlank().doesNotStartWith("$");
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"a valid template|", "not YAML at all|'servers: [unclosed'"})
    void aValidTemplateOrTextThatIsNotYamlLeavesTheParserToSpeak(String name, String yaml) {
        assertThat(TemplateSchemaCheck.problems(yaml == null ? BASE : yaml)).isEmpty();
    }
}
