package dev.fleetkey.service.system;

/**
 * Root of every failure the service reports to a caller who can act on it: one subclass per failure, carrying
 * what the caller needs to act (the field at fault, the device, the time to wait). Messages say what to fix in
 * the service's own words and never contain a secret; they name no HTTP path, header or status. The adapters
 * translate: {@link ProblemDetailsAdvice} to problem+json (see {@link DomainProblems}), the coaps endpoint to
 * CoAP codes, the pages to messages.
 *
 * <p>Unchecked, unlike the client's {@code BundleException}: services throw it from inside Spring transactions,
 * which roll back on a {@link RuntimeException} and commit on a checked one unless every method says otherwise.
 */
public abstract class FleetkeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /** @param reason the failure's {@link #reason()} */
    protected FleetkeyException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The input field at fault, as the caller named it, or null when the failure is not about one field. */
    public String field() {
        return null;
    }

    /** A short, stable name of the failure, e.g. {@code invalid-field}; the API uses it as the problem type. */
    public final String reason() {
        return reason;
    }
}
