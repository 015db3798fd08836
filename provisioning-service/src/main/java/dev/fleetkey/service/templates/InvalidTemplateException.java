package dev.fleetkey.service.templates;

import dev.fleetkey.service.system.StartupProblem;

/**
 * A template file that cannot be used. The message reads {@code file: field: what to fix}, e.g.
 * {@code templates/demo.yaml: servers[0].uri: must be coaps://host:port}.
 */
public class InvalidTemplateException extends StartupProblem {

    private final String file;
    private final String field;

    InvalidTemplateException(String file, String field, String problem) {
        super(file + ": " + field + ": " + problem,
                "Fix " + field + " in " + file + " and start again.", null);
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
