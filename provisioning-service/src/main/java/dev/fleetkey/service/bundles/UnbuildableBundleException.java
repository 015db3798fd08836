package dev.fleetkey.service.bundles;

import dev.fleetkey.service.system.FleetkeyException;

/**
 * A device's bundle cannot be built from its template and credentials as they are now; {@link #problem()} says
 * which part does not fit, the message says what to change (rotate the device, or fix the template).
 */
public final class UnbuildableBundleException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    /** Which part of the bundle cannot be built. */
    public enum Problem {
        /** The device has no current credential for one of the template's servers. */
        CREDENTIAL_MISSING("credential-missing"),
        /** A template server's host cannot be put in a server certificate. */
        SERVER_HOST_INVALID("server-host-invalid"),
        /** A server's mode in the template differs from the mode of the device's credential for it. */
        CREDENTIAL_MODE_MISMATCH("credential-mode-mismatch");

        private final String slug;

        Problem(String slug) {
            this.slug = slug;
        }
    }

    private final Problem problem;
    private final String server;

    public UnbuildableBundleException(Problem problem, String server, String message) {
        super(problem.slug, message);
        this.problem = problem;
        this.server = server;
    }

    public Problem problem() {
        return problem;
    }

    /** The name of the template server at fault. */
    public String server() {
        return server;
    }
}
