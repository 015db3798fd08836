package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.pki.DeviceKeyRejectedException;
import dev.fleetkey.service.pki.DevicePublicKeys;
import dev.fleetkey.service.system.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;

/**
 * A key made on the device, as a station submits it: a P-256 SubjectPublicKeyInfo ({@code publicKey}) or a
 * PKCS#10 CSR ({@code csr}), each as PEM or as base64 of the DER. The service never holds its private half.
 *
 * @param publicKey PEM {@code PUBLIC KEY} or base64 DER SPKI; null if not given
 * @param csr       PEM {@code CERTIFICATE REQUEST} or base64 DER; null if not given
 */
public record DeviceKeySubmission(String publicKey, String csr) {

    /** Nothing submitted: the service makes the key pairs. */
    public static final DeviceKeySubmission NONE = new DeviceKeySubmission(null, null);

    public boolean present() {
        return publicKey != null || csr != null;
    }

    /** The request field holding the key: {@code publicKey}, {@code csr}, or null when none was given. */
    String field() {
        return publicKey != null ? "publicKey" : csr != null ? "csr" : null;
    }

    /**
     * The submitted key after every check (P-256, valid point, CSR signature, a CSR naming {@code device} or no
     * one), or null when none was given.
     *
     * @throws InvalidFieldException naming the field and what was wrong with it
     */
    PublicKey check(DevicePublicKeys keys, Eui64 device) {
        if (publicKey != null && csr != null) {
            throw new InvalidFieldException("csr", "Give either publicKey or csr, not both");
        }
        try {
            if (publicKey != null) {
                return keys.fromSubjectPublicKeyInfo(bytes(publicKey, "publicKey"));
            }
            if (csr != null) {
                return keys.fromCsr(bytes(csr, "csr"), device);
            }
            return null;
        } catch (DeviceKeyRejectedException e) {
            throw new InvalidFieldException(publicKey != null ? "publicKey" : "csr", e.getMessage());
        }
    }

    private static byte[] bytes(String text, String field) {
        String trimmed = text.strip();
        if (trimmed.startsWith("-----BEGIN")) {
            return trimmed.getBytes(StandardCharsets.US_ASCII);
        }
        try {
            return Base64.getMimeDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(field, field + " is neither PEM nor base64: give the PEM text or the "
                    + "base64 of the DER encoding");
        }
    }
}
