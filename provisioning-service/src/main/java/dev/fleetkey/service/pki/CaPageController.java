package dev.fleetkey.service.pki;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.ServerCredential;
import dev.fleetkey.service.pki.ServerCredentialIssuer;
import dev.fleetkey.service.pki.ServerRawPublicKey;
import dev.fleetkey.service.web.Formats;
import dev.fleetkey.service.web.PageController;
import dev.fleetkey.service.web.PageNotFoundException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The CA hierarchy (subjects, validity, fingerprints), certificate downloads, and issuing a DTLS server's
 * credentials (ADMIN; the private key is in the download only, and the issue is audited).
 */
@PageController
class CaPageController {

    static final String VIEW = "cas/list";
    private static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");
    private static final int MAX_VALIDITY_DAYS = 825;

    private final CertificateAuthorities cas;
    private final ServerCredentialIssuer serverCredentials;
    private final AuditTrail audit;
    private final KeyVault vault;

    CaPageController(CertificateAuthorities cas, ServerCredentialIssuer serverCredentials, AuditTrail audit,
            KeyVault vault) {
        this.cas = cas;
        this.vault = vault;
        this.serverCredentials = serverCredentials;
        this.audit = audit;
    }

    /** A certificate as the page lists it. */
    record CertificateRow(String name, String role, String subject, String issuer, String serial, String notBefore,
            String notAfter, String sha256) {
    }

    /**
     * A key in the key store: its alias (the token object's label for PKCS#11), its kind, and for a key pair the
     * SHA-256 of its public key (SubjectPublicKeyInfo), which identifies the key whatever its certificate.
     */
    record KeyRow(String alias, String kind, String publicKeySha256) {
    }

    @GetMapping("/cas")
    String list(Model model) {
        Formats fmt = new Formats();
        List<CertificateRow> rows = certificates().entrySet().stream().map(e -> {
            X509Certificate c = e.getValue();
            return new CertificateRow(e.getKey(), role(e.getKey()), c.getSubjectX500Principal().getName(),
                    c.getIssuerX500Principal().getName(), c.getSerialNumber().toString(16),
                    fmt.time(c.getNotBefore().toInstant()), fmt.time(c.getNotAfter().toInstant()), fingerprint(c));
        }).toList();
        model.addAttribute("certificates", rows);
        model.addAttribute("rootKeyOnline", cas.rootKeyOnline());
        model.addAttribute("keyStore", vault.kind() + " (" + vault.location() + ")");
        model.addAttribute("keys", keys());
        return VIEW;
    }

    @GetMapping("/cas/{name}.pem")
    ResponseEntity<String> download(@PathVariable("name") String name) {
        X509Certificate certificate = certificates().get(name);
        if (certificate == null) {
            throw new PageNotFoundException("There is no certificate called '" + name.replaceAll("[^a-z0-9-]", "?") + "'.",
                    "Download certificates from the CAs & trust page.");
        }
        audit.record("certificate.downloaded", "certificate:" + name + " serial:" + certificate.getSerialNumber().toString(16));
        return ResponseEntity.ok().contentType(PEM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(name + ".pem").build().toString())
                .body(pem("CERTIFICATE", encoded(certificate)));
    }

    @PostMapping("/cas/server-credentials")
    Object issueServerCredential(@RequestParam(name = "fqdn", defaultValue = "") String fqdn,
            @RequestParam(name = "mode", defaultValue = "x509") String mode,
            @RequestParam(name = "validityDays", defaultValue = "365") String validityText, Model model) {
        String host = fqdn.trim().toLowerCase(Locale.ROOT);
        if ("rpk".equals(mode)) {
            ServerRawPublicKey key = serverCredentials.issueServerRawPublicKey();
            String pin = HexFormat.of().formatHex(key.fingerprint());
            audit.record("server-credential.issued", "server:" + (host.isEmpty() ? "(unnamed)" : host) + " mode:rpk sha256:" + pin);
            return attachment("server-rpk.pem", "# SHA-256 of the SubjectPublicKeyInfo (the pin devices use): " + pin + "\n"
                    + key.publicKeyPem() + key.privateKeyPem());
        }
        int validityDays = validityText.trim().matches("\\d{1,4}") ? Integer.parseInt(validityText.trim()) : 0;
        if (validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
            return problem(model, "validityDays", "Give a validity of 1-" + MAX_VALIDITY_DAYS + " days.");
        }
        ServerCredential credential;
        try {
            credential = serverCredentials.issueServerCertificate(host, Duration.ofDays(validityDays));
        } catch (IllegalArgumentException e) {
            return problem(model, "fqdn", "Give the server's DNS name, e.g. coap.example.com (" + e.getMessage() + ").");
        }
        audit.record("server-credential.issued", "server:" + host + " mode:x509 serial:"
                + credential.certificate().getSerialNumber().toString(16));
        return attachment(host + ".pem", credential.certificateChainPem() + credential.privateKeyPem());
    }

    private String problem(Model model, String field, String message) {
        model.addAttribute("serverError", message);
        model.addAttribute("serverErrorField", field);
        return list(model);
    }

    private static ResponseEntity<String> attachment(String filename, String body) {
        return ResponseEntity.ok().contentType(PEM).cacheControl(CacheControl.noStore())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
                .body(body);
    }

    private List<KeyRow> keys() {
        return vault.aliases().stream().map(alias -> vault.privateKeyEntry(alias)
                .map(e -> new KeyRow(alias, "ECDSA P-256 key pair", HexFormat.ofDelimiter(":").withUpperCase()
                        .formatHex(Sha256.digest(e.certificate().getPublicKey().getEncoded()))))
                .orElseGet(() -> new KeyRow(alias, "secret key", ""))).toList();
    }

    private Map<String, X509Certificate> certificates() {
        Map<String, X509Certificate> all = new LinkedHashMap<>();
        all.put("root-ca", cas.rootCertificate());
        all.put("device-ca", cas.deviceCa().certificate());
        all.put("server-ca", cas.serverCa().certificate());
        all.put("bundle-signer", cas.bundleSigner().certificate());
        return all;
    }

    private static String role(String name) {
        return switch (name) {
            case "root-ca" -> "Root CA: trust anchor of devices and servers";
            case "device-ca" -> "Issues device client certificates";
            case "server-ca" -> "Issues DTLS server certificates";
            default -> "Signs device and fleet bundles";
        };
    }

    private static byte[] encoded(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("A CA certificate cannot be encoded", e);
        }
    }

    static String fingerprint(X509Certificate c) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(Sha256.digest(encoded(c)));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
