package dev.fleetkey.service.pki;

import java.time.Instant;
import java.util.List;

/**
 * The certificates that must no longer be trusted, as the feature that holds them knows them: the devices
 * feature lists device certificates revoked, and those rotated out whose overlap has ended. The revocation lists
 * ({@link RevocationLists}) read them through this port, never the owner's tables.
 */
public interface RevokedCertificates {

    /** Why a certificate is no longer trusted, as RFC 5280 CRL reason codes. */
    enum Reason {
        UNSPECIFIED(0), KEY_COMPROMISE(1), SUPERSEDED(4), CESSATION_OF_OPERATION(5);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        /** The RFC 5280 CRLReason value. */
        public int code() {
            return code;
        }
    }

    /**
     * One certificate no longer trusted.
     *
     * @param certificate the certificate's DER (the list keeps those its CA issued)
     * @param revokedAt   when it stopped being trusted
     */
    record Revoked(byte[] certificate, Instant revokedAt, Reason reason) {
    }

    /** Every certificate revoked, or rotated out with its overlap over, by {@code now}. */
    List<Revoked> revokedCertificates(Instant now);
}
