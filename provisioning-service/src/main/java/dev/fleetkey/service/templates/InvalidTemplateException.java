package dev.fleetkey.service.templates;

/**
 * A template file that cannot be used. The message reads {@code file: field: what to fix}, e.g.
 * {@code templates/demo.yaml: servers[0].uri: must be coaps://host:port}.
 */
public class InvalidTemplateException extends RuntimeException {

    private final String file;
    private final String field;

    InvalidTemplateException(String file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }
}
