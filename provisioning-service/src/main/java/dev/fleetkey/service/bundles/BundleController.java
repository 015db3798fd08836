package dev.fleetkey.service.bundles;

import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceProvisioning;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.DeviceKeyRejectedException;
import dev.fleetkey.service.pki.DevicePublicKeys;
import dev.fleetkey.service.system.InvalidFieldException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Device bundle downloads, for every caller, and the certificate they verify with. A user downloads any device's
 * bundle as a file, sealed to the recipient key it names; a station downloads only its own devices' bundles, sealed
 * to its transport key when it has one ({@link CallerBundles}).
 */
@RestController
class BundleController {

    /** CMS SignedData (DER) over the CBOR payload. */
    static final MediaType BUNDLE_TYPE = MediaType.parseMediaType("application/vnd.fleetkey.bundle+cms");
    static final MediaType PEM_TYPE = MediaType.parseMediaType("application/x-pem-file");
    /** The P-256 key (base64 DER SubjectPublicKeyInfo) a bundle's secrets are sealed for. */
    static final String RECIPIENT_HEADER = "Fleetkey-Recipient-Key";
    /** Names the servers whose private key this bundle no longer carries (deleted after its first delivery). */
    static final String KEYS_WITHHELD_HEADER = "Fleetkey-Private-Keys-Withheld";

    private final BundleIssuer issuer;
    private final CertificateAuthorities authorities;
    private final DevicePublicKeys publicKeys;
    private final DeviceProvisioning provisioning;
    private final CallerBundles callerBundles;

    BundleController(BundleIssuer issuer, CertificateAuthorities authorities, DevicePublicKeys publicKeys,
            DeviceProvisioning provisioning, CallerBundles callerBundles) {
        this.issuer = issuer;
        this.authorities = authorities;
        this.publicKeys = publicKeys;
        this.provisioning = provisioning;
        this.callerBundles = callerBundles;
    }

    /** Each download is a new bundle with the next sequence number; it may carry secrets, so no caching. */
    @GetMapping("/api/v1/devices/{eui64}/bundle")
    ResponseEntity<byte[]> deviceBundle(Caller caller, @PathVariable("eui64") String eui64Text,
            @RequestHeader(name = RECIPIENT_HEADER, required = false) String recipientText) {
        if (caller instanceof Caller.Station) {
            return stationBundle(caller, eui64Text);
        }
        var eui64 = DeviceProvisioning.parseEui64(eui64Text, "eui64");
        BundleIssuer.IssuedBundle bundle = issuer.issueDeviceBundle(eui64, recipient(recipientText));
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .contentType(BUNDLE_TYPE)
                .cacheControl(CacheControl.noStore())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(eui64.compact() + "-" + bundle.sequence() + ".bundle").build().toString())
                .header("Fleetkey-Bundle-Id", bundle.bundleIdHex())
                .header("Fleetkey-Bundle-Sequence", Long.toString(bundle.sequence()))
                .header("Fleetkey-Secrets", bundle.secrets().name().toLowerCase(java.util.Locale.ROOT));
        if (!bundle.keysWithheld().isEmpty()) {
            response.header(KEYS_WITHHELD_HEADER, String.join(",", bundle.keysWithheld()));
        }
        return response.body(bundle.signed());
    }

    /** A station's own device, sealed to its transport key if it has one; the station names no recipient key. */
    private ResponseEntity<byte[]> stationBundle(Caller caller, String eui64Text) {
        Device device = provisioning.visibleDevice(caller, eui64Text);
        BundleIssuer.IssuedBundle bundle = callerBundles.issue(caller, device);
        return ResponseEntity.ok().contentType(BUNDLE_TYPE).cacheControl(CacheControl.noStore())
                .header("Fleetkey-Bundle-Id", bundle.bundleIdHex())
                .header("Fleetkey-Bundle-Sequence", Long.toString(bundle.sequence()))
                .body(bundle.signed());
    }

    @GetMapping("/api/v1/trust/bundle-signer.pem")
    ResponseEntity<String> bundleSignerCertificate() throws CertificateEncodingException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(authorities.bundleSigner().certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return ResponseEntity.ok().contentType(PEM_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("bundle-signer.pem").build().toString())
                .body(pem);
    }

    private PublicKey recipient(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException(RECIPIENT_HEADER, RECIPIENT_HEADER + " is not base64: give the base64 of "
                    + "the recipient's DER SubjectPublicKeyInfo (openssl pkey -pubin -outform DER | base64 -w0)");
        }
        try {
            return publicKeys.fromSubjectPublicKeyInfo(der);
        } catch (DeviceKeyRejectedException e) {
            throw new InvalidFieldException(RECIPIENT_HEADER, e.getMessage());
        }
    }
}
