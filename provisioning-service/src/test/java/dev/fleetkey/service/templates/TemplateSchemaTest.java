package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fleetkey.service.TestService;
import dev.fleetkey.service.templates.TemplateSamples.Case;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committed JSON Schema is the one the code makes, every committed template passes it, and it accepts or
 * refuses each sample as the parser does (where a schema can tell: it cannot check duration ranges).
 */
class TemplateSchemaTest {

    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(TemplateSchema.text(), InputFormat.JSON);

    static Stream<Case> cases() {
        return TemplateSamples.cases().stream().filter(c -> c.refusedField() == null || c.schemaChecks());
    }

    static Stream<Path> committedTemplates() throws IOException {
        try (Stream<Path> files = Files.list(TestService.repositoryTemplates())) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theCommittedSchemaIsTheOneTheCodeMakes() throws IOException {
        Path committed = TestService.repositoryTemplates().resolve("fleetkey-template.schema.json");
        String text = Files.exists(committed) ? Files.readString(committed, StandardCharsets.UTF_8) : "";

        TemplateReferenceTest.checkCommitted(committed, text, TemplateSchema.text());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("committedTemplates")
    void everyCommittedTemplatePassesTheSchema(Path file) throws IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);

        assertThat(SCHEMA.validate(yaml, InputFormat.YAML)).isEmpty();
        assertThat(TemplateParser.parse(file.getFileName().toString(), yaml.getBytes(StandardCharsets.UTF_8))).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSchemaAcceptsOrRefusesEachSampleAsTheParserDoes(Case sample) {
        List<com.networknt.schema.Error> errors = SCHEMA.validate(new String(sample.yaml(), StandardCharsets.UTF_8),
                InputFormat.YAML);

        if (sample.refusedField() == null) {
            assertThat(errors).isEmpty();
        } else {
            assertThat(errors).as("refused like the parser refuses %s", sample.refusedField()).isNotEmpty();
        }
    }
}
