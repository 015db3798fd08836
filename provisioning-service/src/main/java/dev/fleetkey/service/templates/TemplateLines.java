package dev.fleetkey.service.templates;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonPointer;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Finds the line of a field such as {@code servers[1].psk.key-length} in template text, for error messages. A
 * missing field is reported at the mapping it is missing from.
 */
final class TemplateLines {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private TemplateLines() {
    }

    /** The 1-based line, or 0 when neither the field nor a mapping above it is in the text. */
    static int lineOf(byte[] content, String field) {
        if (content == null || field.startsWith("(")) {
            return 0;
        }
        String pointer = "/" + field.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
        while (!pointer.isEmpty()) {
            int line = find(content, JsonPointer.compile(pointer));
            if (line > 0) {
                return line;
            }
            pointer = pointer.substring(0, pointer.lastIndexOf('/'));
        }
        return 0;
    }

    private static int find(byte[] content, JsonPointer target) {
        String inside = target + "/";
        try (JsonParser parser = YAML.createParser(content)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                // a list item has no key of its own: its first key stands on the item's line ("- name: ...")
                if (token == JsonToken.PROPERTY_NAME) {
                    String path = parser.streamReadContext().pathAsPointer().toString();
                    if (path.equals(target.toString()) || path.startsWith(inside)) {
                        return parser.currentTokenLocation().getLineNr();
                    }
                }
            }
        } catch (JacksonException e) {
            return 0;
        }
        return 0;
    }
}
