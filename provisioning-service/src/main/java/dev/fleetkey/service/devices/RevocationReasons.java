package dev.fleetkey.service.devices;

import dev.fleetkey.service.pki.RevokedCertificates.Reason;
import java.util.Locale;

/**
 * The CRL reason code for the free-text reason an operator gave when revoking: key compromise, superseded
 * (re-provisioned, replaced, rotated), cessation of operation (scrapped, decommissioned, retired, lost), else
 * unspecified.
 */
final class RevocationReasons {

    private RevocationReasons() {
    }

    static Reason of(String text) {
        String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
        if (t.contains("compromis") || t.contains("stolen") || t.contains("leak")) {
            return Reason.KEY_COMPROMISE;
        }
        if (t.contains("replaced") || t.contains("re-provision") || t.contains("supersed") || t.contains("rotat")) {
            return Reason.SUPERSEDED;
        }
        if (t.contains("scrap") || t.contains("decommission") || t.contains("retire") || t.contains("cessation")
                || t.contains("lost") || t.contains("destroy")) {
            return Reason.CESSATION_OF_OPERATION;
        }
        return Reason.UNSPECIFIED;
    }
}
