package dev.fleetkey.service.templates;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * Checks template YAML against the template JSON Schema ({@link TemplateSchema}), the one editors use, and says
 * where each problem is: the field as the parser names it ({@code servers[0].psk.key-length}) and its line.
 */
final class TemplateSchemaCheck {

    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(TemplateSchema.text(), InputFormat.JSON);
    private static final int MAX_PROBLEMS = 20;

    /** One schema violation; {@code line} is 1-based, 0 when unknown. */
    record Problem(String field, int line, String message) {
    }

    private TemplateSchemaCheck() {
    }

    /** The schema's problems with {@code yaml}, in document order; empty when it passes or is not YAML at all. */
    static List<Problem> problems(String yaml) {
        List<Error> errors;
        try {
            errors = SCHEMA.validate(yaml, InputFormat.YAML);
        } catch (JacksonException | IllegalArgumentException e) {
            // not YAML at all: the parser says where
            return List.of();
        }
        byte[] content = yaml.getBytes(StandardCharsets.UTF_8);
        List<Problem> problems = new ArrayList<>();
        for (Error error : errors.subList(0, Math.min(errors.size(), MAX_PROBLEMS))) {
            String field = field(error);
            problems.add(new Problem(field, TemplateLines.lineOf(content, field), message(error)));
        }
        problems.sort((a, b) -> Integer.compare(a.line() == 0 ? Integer.MAX_VALUE : a.line(),
                b.line() == 0 ? Integer.MAX_VALUE : b.line()));
        return problems;
    }

    /** The parser's name of the field: the instance path, and the property a required or unknown-key error names. */
    private static String field(Error error) {
        StringBuilder field = new StringBuilder();
        NodePath path = error.getInstanceLocation();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                field.append(field.length() == 0 ? "" : ".").append(element);
            }
        }
        String keyword = error.getKeyword();
        if (error.getProperty() != null && ("required".equals(keyword) || "additionalProperties".equals(keyword))) {
            field.append(field.length() == 0 ? "" : ".").append(error.getProperty());
        }
        return field.length() == 0 ? "(document)" : field.toString();
    }

    /** The validator's message without the location it starts with (the field is shown beside it). */
    private static String message(Error error) {
        String message = error.getMessage();
        int colon = message.indexOf(": ");
        return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
    }
}
