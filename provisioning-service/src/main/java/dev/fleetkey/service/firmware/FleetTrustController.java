package dev.fleetkey.service.firmware;

import dev.fleetkey.bundle.Certificates;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Admin API for the trust fleet bundles carry: anchors (PEM) and pins per product line and server. */
@RestController
class FleetTrustController {

    private final FleetTrust trust;

    FleetTrustController(FleetTrust trust) {
        this.trust = trust;
    }

    /** One row as the API shows it. */
    record EntryView(String server, String kind, String fingerprint, String subject, Instant addedAt) {
        static EntryView of(FleetTrust.Entry e) {
            String subject = null;
            if (e.kind() == FleetTrust.Kind.ANCHOR) {
                subject = certificate(e.der()).getSubjectX500Principal().getName();
            }
            return new EntryView(e.server(), e.kind().name().toLowerCase(), e.fingerprint(), subject, e.addedAt());
        }
    }

    /** A key to pin: its SubjectPublicKeyInfo (base64 DER) or the pin (hex SHA-256). */
    record PinRequest(String publicKey, String sha256) {
    }

    @GetMapping("/api/v1/fleet-trust/{productLine}")
    List<EntryView> list(@PathVariable("productLine") String productLine) {
        return trust.list(productLine).stream().map(EntryView::of).toList();
    }

    @PostMapping("/api/v1/fleet-trust/{productLine}/servers/{server}/anchors")
    ResponseEntity<EntryView> addAnchor(@PathVariable("productLine") String productLine,
            @PathVariable("server") String server, @RequestBody String pem) {
        return ResponseEntity.status(HttpStatus.CREATED).body(EntryView.of(trust.addAnchor(productLine, server,
                parse(pem))));
    }

    @PostMapping("/api/v1/fleet-trust/{productLine}/servers/{server}/pins")
    ResponseEntity<EntryView> addPin(@PathVariable("productLine") String productLine,
            @PathVariable("server") String server, @RequestBody PinRequest request) {
        byte[] value;
        try {
            value = request.publicKey() != null ? Base64.getDecoder().decode(request.publicKey())
                    : HexFormat.of().parseHex(String.valueOf(request.sha256()));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("publicKey", "give publicKey (base64 SubjectPublicKeyInfo DER) or sha256"
                    + " (64 hex digits)");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(EntryView.of(trust.addPin(productLine, server, value)));
    }

    @DeleteMapping("/api/v1/fleet-trust/{productLine}/servers/{server}/{kind}/{fingerprint}")
    ResponseEntity<Void> remove(@PathVariable("productLine") String productLine, @PathVariable("server") String server,
            @PathVariable("kind") String kind, @PathVariable("fingerprint") String fingerprint) {
        FleetTrust.Kind parsed = switch (kind) {
            case "anchors" -> FleetTrust.Kind.ANCHOR;
            case "pins" -> FleetTrust.Kind.PIN;
            default -> throw new NotFoundException("kind must be 'anchors' or 'pins', was '" + kind + "'");
        };
        trust.remove(productLine, server, parsed, fingerprint);
        return ResponseEntity.noContent().build();
    }

    private static X509Certificate parse(String pem) {
        try {
            return Certificates.parse(pem.getBytes(StandardCharsets.US_ASCII));
        } catch (CertificateException | RuntimeException e) {
            throw new InvalidFieldException("certificate", "the body must be one PEM certificate (the server CA root"
                    + " to trust)");
        }
    }

    private static X509Certificate certificate(byte[] der) {
        try {
            return Certificates.parse(der);
        } catch (CertificateException e) {
            throw new IllegalStateException("a stored anchor does not parse", e);
        }
    }
}
