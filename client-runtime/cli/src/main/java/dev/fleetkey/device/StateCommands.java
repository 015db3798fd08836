package dev.fleetkey.device;

import java.io.PrintWriter;
import java.nio.file.Path;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.BundleVerifier;

/** What install and update share: the state directory, the trust file, and exit codes by refusal reason. */
final class StateCommands {

    static final int ROLLBACK = 10;
    static final int WRONG_PRODUCT_LINE = 11;
    static final int WRONG_HARDWARE_CLASS = 12;
    static final int TAMPERED = 13;
    static final int EXPIRED = 14;
    static final int ROTATION_REFUSED = 15;
    static final int UNTRUSTED_SIGNER = 16;
    static final int OTHER_REFUSAL = 17;

    private StateCommands() {
    }

    /** The exit code for a refusal, by its stable reason. */
    static int exitCode(BundleException e) {
        String reason = e.reason();
        if (reason.startsWith("rotation-")) {
            return ROTATION_REFUSED;
        }
        switch (reason) {
            case "rollback":
                return ROLLBACK;
            case "wrong-product-line":
                return WRONG_PRODUCT_LINE;
            case "wrong-hardware-class":
                return WRONG_HARDWARE_CLASS;
            case "tampered": case "bad-signature": case "malformed": case "oversize": case "unsupported-format":
                return TAMPERED;
            case "package-expired": case "package-not-yet-valid": case "expired": case "not-yet-valid":
                return EXPIRED;
            case "untrusted-signer":
                return UNTRUSTED_SIGNER;
            default:
                return OTHER_REFUSAL;
        }
    }

    static int refuse(PrintWriter err, String what, BundleException e) {
        err.println("fleetkey-device: " + what + " refused (" + e.reason() + "): " + e.getMessage());
        return exitCode(e);
    }

    static int fail(PrintWriter err, int code, String message) {
        err.println("fleetkey-device: " + message);
        return code;
    }

    static BundleVerifier verifier(Path trust) throws BundleFiles.FileProblem {
        return BundleVerifier.builder().trustAnchors(BundleFiles.readTrust(trust)).build();
    }
}
