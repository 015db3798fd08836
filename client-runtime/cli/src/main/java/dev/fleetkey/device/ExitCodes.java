package dev.fleetkey.device;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.ServerConfigurationException;
import dev.fleetkey.runtime.UnknownServerException;
import dev.fleetkey.runtime.keys.DeviceKeyException;
import dev.fleetkey.runtime.renewal.RenewalRefusedException;
import dev.fleetkey.runtime.renewal.RenewedCertificateRejectedException;
import dev.fleetkey.runtime.state.StateDirectoryException;
import picocli.CommandLine;

/**
 * The exit codes of {@code fleetkey-device}, and the one place that decides which failure ends with which:
 * commands throw, {@link #getExitCode(Throwable)} maps, {@link #describe(Throwable)} words the line on stderr.
 */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {

    static final int OK = 0;
    static final int USAGE = 1;
    static final int BUNDLE_INVALID = 2;
    static final int CONNECTION_FAILED = 3;
    static final int COAP_ERROR = 4;
    static final int SERVICE_REFUSED = 5;
    static final int SERVICE_UNREACHABLE = 6;
    static final int ROLLBACK = 10;
    static final int WRONG_PRODUCT_LINE = 11;
    static final int WRONG_HARDWARE_CLASS = 12;
    static final int TAMPERED = 13;
    static final int EXPIRED = 14;
    static final int ROTATION_REFUSED = 15;
    static final int UNTRUSTED_SIGNER = 16;
    static final int OTHER_REFUSAL = 17;
    /** A bug, or the JVM failed (out of memory): nothing the options could have avoided, so not {@link #USAGE}. */
    static final int INTERNAL_ERROR = 70;
    /** The {@code exitCodeList} line of {@link #INTERNAL_ERROR}, for every command that lists its codes. */
    static final String INTERNAL_ERROR_LINE = INTERNAL_ERROR + ":internal error: a bug, or the JVM ran out of memory";

    @Override
    public int getExitCode(Throwable failure) {
        if (failure instanceof CommandLine.ParameterException || failure instanceof CommandFailure.Usage
                || failure instanceof UnknownServerException) {
            return USAGE;
        }
        if (failure instanceof CommandFailure.Refused refused) {
            return refusal(refused.reason());
        }
        if (failure instanceof CommandFailure.CoapError || failure instanceof RenewalRefusedException
                || failure instanceof RenewedCertificateRejectedException) {
            return COAP_ERROR;
        }
        if (failure instanceof CommandFailure.ServiceRefused) {
            return SERVICE_REFUSED;
        }
        if (failure instanceof CommandFailure.ServiceUnreachable) {
            return SERVICE_UNREACHABLE;
        }
        if (failure instanceof CommandFailure.Unusable || failure instanceof BundleException
                || failure instanceof StateDirectoryException || failure instanceof ServerConfigurationException
                || failure instanceof DeviceKeyException) {
            return BUNDLE_INVALID;
        }
        if (failure instanceof DeviceRuntimeException) {
            return CONNECTION_FAILED;
        }
        return INTERNAL_ERROR;
    }

    /** The code for a device refusing a bundle or package, by the refusal's stable reason. */
    static int refusal(String reason) {
        if (reason.startsWith("rotation-")) {
            return ROTATION_REFUSED;
        }
        return switch (reason) {
            case "rollback" -> ROLLBACK;
            case "wrong-product-line" -> WRONG_PRODUCT_LINE;
            case "wrong-hardware-class" -> WRONG_HARDWARE_CLASS;
            case "tampered", "bad-signature", "malformed", "oversize", "unsupported-format" -> TAMPERED;
            case "package-expired", "package-not-yet-valid", "expired", "not-yet-valid" -> EXPIRED;
            case "untrusted-signer" -> UNTRUSTED_SIGNER;
            default -> OTHER_REFUSAL;
        };
    }

    /** The line for stderr, after "fleetkey-device: ". */
    static String describe(Throwable failure) {
        if (failure instanceof OutOfMemoryError) {
            return "out of memory (" + failure.getMessage() + "): the input is too large for this JVM's heap;"
                    + " give it more, e.g. java -Xmx256m -jar fleetkey-device.jar ...";
        }
        if (failure instanceof CommandFailure || failure instanceof CommandLine.ParameterException
                || failure instanceof BundleException || failure instanceof DeviceRuntimeException) {
            return failure.getMessage();
        }
        return "internal error: " + failure;
    }
}
