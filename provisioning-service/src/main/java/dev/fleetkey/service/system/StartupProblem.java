package dev.fleetkey.service.system;

/**
 * Something the operator must fix before the service can start (a bad template, a wrong keystore
 * password, an unusable directory). {@link StartupProblemFailureAnalyzer} prints it as two plain lines,
 * the problem and the fix, instead of a chain of bean-creation stack traces.
 */
public class StartupProblem extends RuntimeException {

    private final String action;

    public StartupProblem(String problem, String action, Throwable cause) {
        super(problem, cause);
        this.action = action;
    }

    /** What the operator should do. */
    public String action() {
        return action;
    }
}
