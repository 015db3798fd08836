package dev.fleetkey.service.templates;

import dev.fleetkey.service.templates.TemplateField.Kind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Templates made from {@link TemplateFields}: for every field, its example, its default, its limits and one
 * past them, a value it does not allow, its absence when required, its use without the sibling value it needs,
 * and an unknown field in every mapping. The parser's and the schema's tests both run these cases.
 */
final class TemplateSamples {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private TemplateSamples() {
    }

    /**
     * @param what          the case in words
     * @param template      the template
     * @param refusedField  the field the parser must name, as in {@code servers[0].psk.batch}; null if valid
     * @param schemaChecks  whether the schema can tell (it cannot check duration ranges)
     */
    record Case(String what, ObjectNode template, String refusedField, boolean schemaChecks) {
        @Override
        public String toString() {
            return what;
        }

        byte[] yaml() {
            return TemplateSamples.yaml(template);
        }
    }

    /** A valid template with one rpk server, whose values differ from every field's example and default. */
    static ObjectNode base() {
        ObjectNode root = YAML.createObjectNode();
        root.put("id", "base-product");
        root.put("version", 5);
        ObjectNode server = root.putArray("servers").addObject();
        server.put("name", "primary");
        server.put("uri", "coaps://base.example:5684");
        server.put("mode", "rpk");
        return root;
    }

    /** {@link #base()} with the sibling values that {@code field} and the mappings holding it need. */
    static ObjectNode context(TemplateField field) {
        ObjectNode root = base();
        for (String path = field.path(); !path.isEmpty(); ) {
            TemplateField f = TemplateFields.at(path);
            if (f.onlyWhen() != null) {
                put(root, sibling(f), f.onlyWhen().value());
            }
            path = f.parent().replaceAll("\\[]$", "");
        }
        return root;
    }

    /** {@link #context} with {@code field} set to {@code yamlValue}. */
    static ObjectNode with(TemplateField field, String yamlValue) {
        ObjectNode root = context(field);
        put(root, field.path(), TemplateSchema.typed(field.kind(), yamlValue));
        return root;
    }

    static byte[] yaml(JsonNode template) {
        return YAML.writeValueAsString(template).getBytes(StandardCharsets.UTF_8);
    }

    static String concrete(String path) {
        return path.replace("[]", "[0]");
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (TemplateField f : TemplateFields.all()) {
            String at = concrete(f.path());
            if (f.example() != null) {
                cases.add(new Case(f.path() + " = example " + f.example(), with(f, f.example()), null, true));
            }
            if (f.defaultValue() != null && !f.isContainer()) {
                cases.add(new Case(f.path() + " = default " + f.defaultValue(), with(f, f.defaultValue()), null, true));
            }
            if (f.kind() == Kind.INTEGER) {
                long min = Long.parseLong(f.min());
                long max = Long.parseLong(f.max());
                bounds(cases, f, at, Long.toString(min), Long.toString(max), Long.toString(min - 1),
                        Long.toString(max + 1), true);
            }
            if (f.kind() == Kind.DURATION) {
                Duration min = DurationStyle.detectAndParse(f.min());
                Duration max = DurationStyle.detectAndParse(f.max());
                bounds(cases, f, at, f.min(), f.max(), min.toMillis() - 1 + "ms", max.toMillis() + 1 + "ms", false);
            }
            if (f.kind() == Kind.CHOICE) {
                cases.add(new Case(f.path() + " = no-such-choice", with(f, "no-such-choice"), at, true));
            }
            if (f.isContainer()) {
                ObjectNode root = context(f);
                put(root, f.childPath() + ".no-such-field", 1);
                cases.add(new Case("unknown field in " + f.path(), root, concrete(f.childPath()) + ".no-such-field",
                        true));
            }
            if (f.required()) {
                ObjectNode root = context(f);
                remove(root, f.path());
                cases.add(new Case(f.path() + " left out", root, at, true));
            }
            if (f.onlyWhen() != null) {
                ObjectNode root = f.example() != null ? with(f, f.example()) : context(f);
                if (f.example() == null) {
                    put(root, f.path(), YAML.createObjectNode());
                }
                TemplateField sibling = TemplateFields.at(sibling(f));
                String other = sibling.allowed().stream().filter(v -> !v.equals(f.onlyWhen().value())).findFirst()
                        .orElseThrow();
                put(root, sibling.path(), other);
                cases.add(new Case(f.path() + " with " + sibling.name() + ": " + other, root, at, true));
            }
        }
        ObjectNode unknown = base();
        unknown.put("no-such-field", 1);
        cases.add(new Case("unknown field in the document", unknown, "no-such-field", true));
        cases.add(new Case("no servers", withServers(0), "servers", true));
        cases.add(new Case("8 servers", withServers(8), null, true));
        cases.add(new Case("9 servers", withServers(9), "servers", true));
        return cases;
    }

    private static void bounds(List<Case> cases, TemplateField f, String at, String min, String max, String below,
            String above, boolean schemaChecks) {
        cases.add(new Case(f.path() + " = lowest " + min, with(f, min), null, true));
        cases.add(new Case(f.path() + " = highest " + max, with(f, max), null, true));
        cases.add(new Case(f.path() + " = too low " + below, with(f, below), at, schemaChecks));
        cases.add(new Case(f.path() + " = too high " + above, with(f, above), at, schemaChecks));
    }

    private static ObjectNode withServers(int count) {
        ObjectNode root = base();
        ArrayNode servers = root.putArray("servers");
        for (int i = 0; i < count; i++) {
            servers.addObject().put("name", "s" + i).put("uri", "coaps://s" + i + ".example:5684").put("mode", "rpk");
        }
        return root;
    }

    private static String sibling(TemplateField field) {
        return field.parent().isEmpty() ? field.onlyWhen().field() : field.parent() + "." + field.onlyWhen().field();
    }

    /** Sets a value at a path such as {@code servers[].psk.identity}, making mappings (and item 0) on the way. */
    private static void put(ObjectNode root, String path, Object value) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = child(node, parts[i]);
        }
        node.set(parts[parts.length - 1], YAML.valueToTree(value));
    }

    private static void remove(ObjectNode root, String path) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = child(node, parts[i]);
        }
        node.remove(parts[parts.length - 1]);
    }

    private static ObjectNode child(ObjectNode node, String part) {
        if (part.endsWith("[]")) {
            String name = part.substring(0, part.length() - 2);
            ArrayNode list = node.get(name) instanceof ArrayNode a ? a : node.putArray(name);
            return list.isEmpty() ? list.addObject() : (ObjectNode) list.get(0);
        }
        return node.get(part) instanceof ObjectNode o ? o : node.putObject(part);
    }
}
