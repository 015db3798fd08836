package dev.fleetkey.service.pki;

/**
 * A public key or CSR submitted for a device cannot be used. Each subclass names one failure; the message
 * says what was wrong and what is accepted, fit to be shown to the station (HTTP 400).
 */
public abstract class DeviceKeyRejectedException extends Exception {

    /** What every message ends with. */
    public static final String ACCEPTED = "Accepted: an ECDSA P-256 (secp256r1) public key as DER "
            + "SubjectPublicKeyInfo, or a PKCS#10 CSR for such a key signed with it (DER or PEM).";

    protected DeviceKeyRejectedException(String problem, Throwable cause) {
        super(problem + " " + ACCEPTED, cause);
    }

    /** The input is neither a SubjectPublicKeyInfo nor a CSR, or its key is not a valid curve point. */
    public static final class Malformed extends DeviceKeyRejectedException {
        public Malformed(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    /** The key is not an elliptic-curve key (e.g. RSA, Ed25519). */
    public static final class UnsupportedAlgorithm extends DeviceKeyRejectedException {
        public UnsupportedAlgorithm(String algorithm) {
            super("The key is " + algorithm + ", not ECDSA.", null);
        }
    }

    /** The key is on another curve than P-256 (e.g. P-384). */
    public static final class UnsupportedCurve extends DeviceKeyRejectedException {
        public UnsupportedCurve(String curve) {
            super("The key is on curve " + curve + ", not P-256.", null);
        }
    }

    /** The CSR's signature does not verify with its own key: no proof of possession. */
    public static final class BadCsrSignature extends DeviceKeyRejectedException {
        public BadCsrSignature(Throwable cause) {
            super("The CSR signature does not verify with the key it contains (no proof of possession).", cause);
        }
    }

    /** The CSR asks for another identity (subject CN or subjectAltName) than the device it is submitted for. */
    public static final class ForeignIdentity extends DeviceKeyRejectedException {
        public ForeignIdentity(String problem) {
            super(problem, null);
        }
    }
}
