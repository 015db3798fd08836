package dev.fleetkey.device;

import dev.fleetkey.bundle.BundleException;

/**
 * A failure a command reports to its user, one kind per exit code the CLI gives on its own account; the
 * bundle format's and the runtime's exceptions are reported as they are. The message says what to fix;
 * {@link ExitCodes} picks the code from the kind, in one place.
 */
abstract sealed class CommandFailure extends Exception {

    private CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** An option value is wrong, missing or does not fit the others. */
    static final class Usage extends CommandFailure {
        Usage(String message) {
            super(message, null);
        }
    }

    /** A file, directory or variable the user named cannot be read or used, or holds an invalid bundle. */
    static final class Unusable extends CommandFailure {
        Unusable(String message) {
            super(message, null);
        }

        /** {@code what} (e.g. "bundle b.der") holds a bundle that is invalid on its own. */
        Unusable(String what, BundleException invalid) {
            super(what + " is invalid: " + invalid.getMessage(), invalid);
        }
    }

    /** A device refuses to take on a bundle or package; the code says why, by {@link BundleException#reason()}. */
    static final class Refused extends CommandFailure {
        private final BundleException refusal;

        /** {@code what} (e.g. "update package p.fkpkg") is refused. */
        Refused(String what, BundleException refusal) {
            super(what + " refused (" + refusal.reason() + "): " + refusal.getMessage(), refusal);
            this.refusal = refusal;
        }

        String reason() {
            return refusal.reason();
        }
    }

    /** The CoAP server answered with an error status, or with an answer that is not what the request asks for. */
    static final class CoapError extends CommandFailure {
        CoapError(String message) {
            super(message, null);
        }
    }

    /** The provisioning service answered, and refused. */
    static final class ServiceRefused extends CommandFailure {
        ServiceRefused(String message) {
            super(message, null);
        }
    }

    /** The provisioning service could not be reached. */
    static final class ServiceUnreachable extends CommandFailure {
        ServiceUnreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
