package dev.fleetkey.service.templates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fleetkey.service.templates.TemplateField.Kind;
import dev.fleetkey.service.templates.TemplateSamples.Case;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** The field table and the parser agree: every default, limit, allowed value and condition the table states. */
class TemplateFieldsTest {

    static Stream<Case> cases() {
        return TemplateSamples.cases().stream();
    }

    static Stream<TemplateField> fieldsWithDefaults() {
        return TemplateFields.all().stream().filter(f -> f.defaultValue() != null && !f.isContainer());
    }

    static Stream<TemplateField> fieldsWithExamples() {
        // a field needed by its sibling's value has no template without it to compare with
        return TemplateFields.all().stream().filter(f -> f.example() != null && !(f.required() && f.onlyWhen() != null));
    }

    private static DeviceTemplate parse(ObjectNode template) {
        return TemplateParser.parse("sample.yaml", TemplateSamples.yaml(template));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theParserAcceptsOrRefusesEachSampleAsTheTableSays(Case sample) {
        if (sample.refusedField() == null) {
            assertThatCode(() -> TemplateParser.parse("sample.yaml", sample.yaml())).doesNotThrowAnyException();
        } else {
            InvalidTemplateException e = catchThrowableOfType(InvalidTemplateException.class,
                    () -> TemplateParser.parse("sample.yaml", sample.yaml()));
            assertThat(e).as("refused").isNotNull();
            assertThat(e.field()).as(e.getMessage()).isEqualTo(sample.refusedField());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldsWithDefaults")
    void aLeftOutFieldTakesItsDocumentedDefault(TemplateField field) {
        assertThat(parse(TemplateSamples.context(field)))
                .isEqualTo(parse(TemplateSamples.with(field, field.defaultValue())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldsWithExamples")
    void everyDocumentedFieldChangesTheTemplateTheParserReads(TemplateField field) {
        assertThat(parse(TemplateSamples.with(field, field.example())))
                .as("the parser reads %s", field.path())
                .isNotEqualTo(parse(TemplateSamples.context(field)));
    }

    @Test
    void everyFieldIsDescribedWithAnExampleAndItsLimits() {
        Set<String> paths = new HashSet<>();
        for (TemplateField f : TemplateFields.all()) {
            assertThat(paths.add(f.path())).as("%s listed once", f.path()).isTrue();
            assertThat(f.description()).as(f.path()).isNotBlank().endsWith(".");
            assertThat(f.parent().isEmpty() || TemplateFields.all().stream()
                    .anyMatch(p -> p.isContainer() && p.childPath().equals(f.parent()))).as("%s sits in a mapping", f.path())
                    .isTrue();
            if (!f.isContainer()) {
                assertThat(f.example()).as("%s has an example", f.path()).isNotNull();
            }
            if (f.kind() == Kind.INTEGER || f.kind() == Kind.DURATION || f.kind() == Kind.LIST) {
                assertThat(f.min()).as("%s has limits", f.path()).isNotNull();
                assertThat(f.max()).as("%s has limits", f.path()).isNotNull();
            }
            assertThat(f.allowed().isEmpty()).as("%s lists allowed values exactly when a choice", f.path())
                    .isEqualTo(f.kind() != Kind.CHOICE);
            assertThat(f.required() && f.defaultValue() != null).as("%s is required or has a default", f.path()).isFalse();
        }
    }

    @Test
    void aRefusedDurationNamesItsLimitsAsTheReferenceWritesThem() {
        TemplateField field = TemplateFields.at("dtls.initial-retransmission");

        InvalidTemplateException e = catchThrowableOfType(InvalidTemplateException.class,
                () -> parse(TemplateSamples.with(field, "61s")));

        assertThat(e.problem()).contains("from 100ms to 60s (got \"61s\")");
    }
}
