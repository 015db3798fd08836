package dev.fleetkey.service.templates;

import java.util.List;

/**
 * One field a template may hold, as {@link TemplateParser} reads it. {@link TemplateFields} lists them all; the
 * parser takes its known-field lists from there, and the JSON Schema and the README's field reference are made
 * from it, so a field cannot be added to one without the others.
 *
 * @param path         where the field sits: {@code dtls.resumption}; list items are {@code servers[]}
 * @param kind         what kind of value it holds
 * @param required     whether a template must give it
 * @param defaultValue the value used when the field is left out, as written in YAML; null when required or none
 * @param allowed      the values a {@link Kind#CHOICE} accepts, in the order the parser lists them
 * @param min          the smallest value of a number or duration (or of a list's length); null when unbounded
 * @param max          the largest value of a number or duration (or of a list's length); null when unbounded
 * @param modes        the server modes the field matters for ({@code psk}, {@code rpk}, {@code x509}); empty: all
 * @param onlyWhen     a sibling field value the field is allowed with (and, if {@code required}, needed with)
 * @param example      a value as written in YAML; null for mappings and lists
 * @param description  what the field does, in one or two sentences
 */
public record TemplateField(String path, Kind kind, boolean required, String defaultValue, List<String> allowed,
        String min, String max, List<String> modes, Condition onlyWhen, String example, String description) {

    public TemplateField {
        allowed = List.copyOf(allowed);
        modes = List.copyOf(modes);
    }

    /** The kinds of values the parser knows. */
    public enum Kind {
        NAME("name"), TEXT("text"), INTEGER("whole number"), BOOLEAN("true or false"), DURATION("duration"),
        CHOICE("one of"), COAPS_URI("coaps URI"), MAPPING("mapping"), LIST("list of mappings");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /**
     * The field is allowed only when its sibling {@code field} has {@code value}; {@code value} may be the
     * sibling's default, in which case leaving the sibling out counts too.
     */
    public record Condition(String field, String value) {
    }

    /** The field's own name: {@code key-length} for {@code servers[].psk.key-length}. */
    public String name() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    /** The path of the mapping that holds the field: {@code servers[].psk}; the empty string for the document. */
    public String parent() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    /** The path under which a mapping's or list's own fields sit: {@code dtls} or {@code servers[]}. */
    public String childPath() {
        return kind == Kind.LIST ? path + "[]" : path;
    }

    public boolean isContainer() {
        return kind == Kind.MAPPING || kind == Kind.LIST;
    }
}
