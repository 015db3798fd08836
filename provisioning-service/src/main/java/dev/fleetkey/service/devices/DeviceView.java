package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.CredentialMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A device as the API shows it: identifiers, state and public credential parts, never a secret. */
record DeviceView(String eui64, String template, String state, Instant createdAt, List<CredentialView> credentials,
        Map<String, String> links) {

    /**
     * @param status          current, overlap (rotated out, usable until validUntil), expired or revoked
     * @param publicKeySha256 the RPK pin (SHA-256 of the SPKI), hex
     * @param keyOrigin       service or device (who made the key pair)
     * @param privateKeyHeld  whether the service still holds a private key it made for this credential
     */
    record CredentialView(String server, String mode, String status, String pskIdentity, String publicKeySha256,
            String certificateSerial, String keyOrigin, Boolean privateKeyHeld, Instant createdAt, Instant validUntil,
            Instant revokedAt, String revocationReason) {
    }

    static DeviceView of(Device device, List<DeviceCredential> credentials) {
        String self = DeviceController.BASE + "/" + device.eui64().canonical();
        Instant now = Instant.now();
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("bundle", self + "/bundle");
        links.put("rotate", self + "/rotate");
        links.put("revoke", self + "/revoke");
        return new DeviceView(device.eui64().canonical(), device.templateReference(), device.state().name(),
                device.createdAt(), credentials.stream().map(c -> view(c, now)).toList(), links);
    }

    private static CredentialView view(DeviceCredential c, Instant now) {
        String status = c.revokedAt() != null ? "revoked" : c.validUntil() == null ? "current"
                : c.usableAt(now) ? "overlap" : "expired";
        boolean keyPair = c.mode() != CredentialMode.PSK;
        return new CredentialView(c.serverName(), mode(c.mode()), status, c.pskIdentityHex(), c.publicKeySha256Hex(),
                c.certificateSerial(), c.keyOrigin() == null ? null : c.keyOrigin().name().toLowerCase(Locale.ROOT),
                keyPair ? c.sealedKey() != null : null, c.createdAt(), c.validUntil(), c.revokedAt(),
                c.revocationReason());
    }

    /** The template's spelling of the mode. */
    private static String mode(CredentialMode mode) {
        return switch (mode) {
            case RAW_PUBLIC_KEY -> "rpk";
            case X509 -> "x509";
            case PSK -> "psk";
        };
    }
}
