package dev.fleetkey.service.templates;

import dev.fleetkey.service.system.StartupProblem;

/**
 * A template file that cannot be used. The message reads {@code file: field: what to fix}, e.g.
 * {@code templates/demo.yaml: servers[0].uri: must be coaps://host:port}, followed by {@code (line 7)} when the
 * field, or the mapping it is missing from, can be found in the text.
 */
public class InvalidTemplateException extends StartupProblem {

    private final String file;
    private final String field;
    private final String problem;
    private final int line;

    InvalidTemplateException(String file, String field, String problem) {
        this(file, field, problem, 0);
    }

    InvalidTemplateException(String file, String field, String problem, int line) {
        super(file + ": " + field + ": " + problem + (line > 0 ? " (line " + line + ")" : ""),
                "Fix " + field + " in " + file + " and start again.", null);
        this.file = file;
        this.field = field;
        this.problem = problem;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public String field() {
        return field;
    }

    /** What is wrong with the field and how to fix it, without file, field or line. */
    public String problem() {
        return problem;
    }

    /** The 1-based line of the field in the template text; 0 when unknown. */
    public int line() {
        return line;
    }
}
