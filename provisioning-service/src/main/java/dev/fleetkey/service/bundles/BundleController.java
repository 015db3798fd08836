package dev.fleetkey.service.bundles;

import dev.fleetkey.service.devices.DeviceProvisioning;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Device bundle downloads and the certificate they verify with. */
@RestController
class BundleController {

    /** CMS SignedData (DER) over the CBOR payload. */
    static final MediaType BUNDLE_TYPE = MediaType.parseMediaType("application/vnd.fleetkey.bundle+cms");
    static final MediaType PEM_TYPE = MediaType.parseMediaType("application/x-pem-file");

    private final BundleIssuer issuer;
    private final BundleSigningIdentity signingIdentity;

    BundleController(BundleIssuer issuer, BundleSigningIdentity signingIdentity) {
        this.issuer = issuer;
        this.signingIdentity = signingIdentity;
    }

    /** Each download is a new bundle with the next sequence number; it may carry the PSK, so no caching. */
    @GetMapping("/api/v1/devices/{eui64}/bundle")
    ResponseEntity<byte[]> deviceBundle(@PathVariable("eui64") String eui64Text) {
        var eui64 = DeviceProvisioning.parseEui64(eui64Text, "eui64");
        BundleIssuer.IssuedBundle bundle = issuer.issueDeviceBundle(eui64);
        return ResponseEntity.ok()
                .contentType(BUNDLE_TYPE)
                .cacheControl(CacheControl.noStore())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(eui64.compact() + "-" + bundle.sequence() + ".bundle").build().toString())
                .header("Fleetkey-Bundle-Id", bundle.bundleIdHex())
                .header("Fleetkey-Bundle-Sequence", Long.toString(bundle.sequence()))
                .body(bundle.signed());
    }

    @GetMapping("/api/v1/trust/bundle-signer.pem")
    ResponseEntity<String> bundleSignerCertificate() throws CertificateEncodingException {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(signingIdentity.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return ResponseEntity.ok().contentType(PEM_TYPE)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("bundle-signer.pem").build().toString())
                .body(pem);
    }
}
