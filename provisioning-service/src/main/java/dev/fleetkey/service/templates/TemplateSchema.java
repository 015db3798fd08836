package dev.fleetkey.service.templates;

import dev.fleetkey.service.templates.TemplateField.Kind;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema (draft-07, which editors such as VS Code's YAML extension handle best) of a template, made
 * from {@link TemplateFields}. It checks each field's shape; the parser has the last word on what needs the
 * whole template, such as unique server names. Committed as {@code templates/fleetkey-template.schema.json}.
 */
public final class TemplateSchema {

    /** The media type the schema is served as (draft-07 names no other). */
    public static final String MEDIA_TYPE = "application/schema+json";

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final String NAME = "^[a-z0-9][a-z0-9-]{0,63}$";
    private static final String COAPS_URI = "^coaps://[^/?#@\\s]+:[0-9]+/?$";
    private static final String DURATION = "^([0-9]+(ns|us|ms|s|m|h|d)?|P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?)?)$";
    private static final String TEXT = generate();

    private TemplateSchema() {
    }

    /** The schema as pretty-printed JSON ending in a newline, the same text every time. */
    public static String text() {
        return TEXT;
    }

    private static String generate() {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("title", "Fleetkey device template");
        root.put("description", "A product line's servers, credential modes and policies. Field reference:"
                + " templates/README.md.");
        mapping("", root);
        return JSON.writeValueAsString(root) + "\n";
    }

    private static void mapping(String path, ObjectNode target) {
        List<TemplateField> fields = TemplateFields.inside(path);
        target.put("type", "object");
        target.put("additionalProperties", false);
        List<String> required = fields.stream().filter(f -> f.required() && f.onlyWhen() == null)
                .map(TemplateField::name).toList();
        if (!required.isEmpty()) {
            required.forEach(target.putArray("required")::add);
        }
        ObjectNode properties = target.putObject("properties");
        fields.forEach(f -> property(f, properties.putObject(f.name())));
        ArrayNode rules = JSON.createArrayNode();
        fields.stream().filter(f -> f.onlyWhen() != null).forEach(f -> rules.add(onlyWhen(path, f)));
        if (!rules.isEmpty()) {
            target.set("allOf", rules);
        }
    }

    /** "if the sibling has this value then (maybe) require the field, else forbid it". */
    private static ObjectNode onlyWhen(String path, TemplateField field) {
        TemplateField.Condition condition = field.onlyWhen();
        TemplateField sibling = TemplateFields.at(path.isEmpty() ? condition.field() : path + "." + condition.field());
        ObjectNode rule = JSON.createObjectNode();
        ObjectNode when = rule.putObject("if");
        when.putObject("properties").putObject(condition.field()).put("const", condition.value());
        if (!condition.value().equals(sibling.defaultValue())) {
            when.putArray("required").add(condition.field());
        }
        if (field.required()) {
            rule.putObject("then").putArray("required").add(field.name());
        }
        rule.putObject("else").putObject("not").putArray("required").add(field.name());
        return rule;
    }

    private static void property(TemplateField field, ObjectNode target) {
        String modes = field.modes().isEmpty() ? "" : " Applies to " + String.join(" and ", field.modes()) + " servers.";
        target.put("description", field.description() + modes);
        switch (field.kind()) {
            case NAME -> target.put("type", "string").put("pattern", NAME);
            case TEXT -> target.put("type", "string");
            case INTEGER -> target.put("type", "integer")
                    .put("minimum", Long.parseLong(field.min())).put("maximum", Long.parseLong(field.max()));
            case BOOLEAN -> target.put("type", "boolean");
            case DURATION -> target.put("type", "string").put("pattern", DURATION);
            case CHOICE -> {
                target.put("type", "string");
                field.allowed().forEach(target.putArray("enum")::add);
            }
            case COAPS_URI -> target.put("type", "string").put("pattern", COAPS_URI);
            case MAPPING -> mapping(field.childPath(), target);
            case LIST -> {
                target.put("type", "array").put("minItems", Integer.parseInt(field.min()))
                        .put("maxItems", Integer.parseInt(field.max()));
                mapping(field.childPath(), target.putObject("items"));
            }
        }
        if (field.defaultValue() != null) {
            target.set("default", JSON.valueToTree(typed(field.kind(), field.defaultValue())));
        }
        if (field.example() != null) {
            target.putArray("examples").add(JSON.valueToTree(typed(field.kind(), field.example())));
        }
    }

    /** A value written in YAML as the JSON value the YAML parser reads. */
    static Object typed(Kind kind, String yaml) {
        return switch (kind) {
            case INTEGER -> Long.parseLong(yaml);
            case BOOLEAN -> Boolean.parseBoolean(yaml);
            default -> yaml;
        };
    }
}
