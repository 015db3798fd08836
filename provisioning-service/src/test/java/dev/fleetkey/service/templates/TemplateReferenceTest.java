package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.TestService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The field reference in {@code templates/README.md} is the table {@link TemplateFields} holds: a field added
 * to the parser without a description fails here. {@code -Dtemplates.regenerate=true} rewrites the reference.
 */
class TemplateReferenceTest {

    static final String REGENERATE = "templates.regenerate";
    private static final String BEGIN = "<!-- BEGIN FIELD REFERENCE: made from TemplateFields, checked by TemplateReferenceTest -->\n";
    private static final String END = "<!-- END FIELD REFERENCE -->\n";

    @Test
    void theReadmeDescribesEveryFieldTheParserKnows() throws IOException {
        Path readme = TestService.repositoryTemplates().resolve("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        assertThat(text).as("README.md holds the reference markers").contains(BEGIN).contains(END);
        String expected = text.substring(0, text.indexOf(BEGIN) + BEGIN.length()) + markdown()
                + text.substring(text.indexOf(END));

        checkCommitted(readme, text, expected);
    }

    /** Compares a committed file with what the code makes, or rewrites it when asked to. */
    static void checkCommitted(Path file, String committed, String expected) throws IOException {
        if (Boolean.getBoolean(REGENERATE)) {
            Files.writeString(file, expected, StandardCharsets.UTF_8);
        }
        assertThat(committed).as("%s is out of date with TemplateFields; rewrite it with the test run and"
                + " -D%s=true, then review the difference", file, REGENERATE).isEqualTo(expected);
    }

    static String markdown() {
        String rows = TemplateFields.all().stream().map(TemplateReferenceTest::row).collect(Collectors.joining("\n"));
        return "| Field | Type | Default | Allowed values | Applies to | Example | Description |\n"
                + "|---|---|---|---|---|---|---|\n" + rows + "\n";
    }

    private static String row(TemplateField f) {
        return "| " + String.join(" | ", "`" + f.path() + "`", f.kind().words(), defaults(f), allowed(f),
                appliesTo(f), f.example() == null ? "" : code(f.example()), f.description().replace("|", "\\|")) + " |";
    }

    private static String defaults(TemplateField f) {
        if (f.required()) {
            return "required";
        }
        return f.defaultValue() == null ? "" : f.defaultValue().isEmpty() ? "`\"\"`" : code(f.defaultValue());
    }

    private static String allowed(TemplateField f) {
        return switch (f.kind()) {
            case NAME -> "1-64 of a-z, 0-9, `-`; starts with a letter or digit";
            case INTEGER, DURATION -> f.min() + " to " + f.max();
            case BOOLEAN -> "`true`, `false`";
            case CHOICE -> f.allowed().stream().map(TemplateReferenceTest::code).collect(Collectors.joining(", "));
            case COAPS_URI -> "`coaps://host:port`";
            case LIST -> f.min() + " to " + f.max() + " entries";
            case TEXT, MAPPING -> "";
        };
    }

    private static String appliesTo(TemplateField f) {
        String modes = f.modes().isEmpty() ? "all" : String.join(", ", f.modes());
        return f.onlyWhen() == null ? modes
                : modes + "; only with " + code(f.onlyWhen().field() + ": " + f.onlyWhen().value());
    }

    private static String code(String text) {
        return "`" + text.replace("|", "\\|") + "`";
    }
}
