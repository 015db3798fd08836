package dev.fleetkey.service.pki;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.NotFoundException;
import dev.fleetkey.service.system.StateConflictException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/pki} (admins only, every change and export audited): the CA certificates, the credentials
 * of the servers templates name (issue, rotate, export as PEM or PKCS#12), and the root key export.
 * Passphrases come in the request body or the {@value #PASSPHRASE_HEADER} header, never in the URL.
 */
@RestController
class PkiController {

    static final String BASE = "/api/v1/pki";
    static final String PASSPHRASE_HEADER = "Fleetkey-Export-Passphrase";
    static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");
    static final MediaType PKCS12 = MediaType.parseMediaType("application/x-pkcs12");

    private final CertificateAuthorities authorities;
    private final ServerCredentialStore servers;
    private final TemplateCatalog templates;
    private final EndpointServerCredentials endpoint;
    private final AuditTrail audit;

    PkiController(CertificateAuthorities authorities, ServerCredentialStore servers, TemplateCatalog templates,
            EndpointServerCredentials endpoint, AuditTrail audit) {
        this.authorities = authorities;
        this.servers = servers;
        this.templates = templates;
        this.endpoint = endpoint;
        this.audit = audit;
    }

    /** {@code host}: the FQDN to certify; defaults to the host templates give the server. */
    record IssueRequest(String host) {
    }

    /** An export passphrase (at least 8 characters); {@code toString} hides it. */
    record ExportRequest(String passphrase) {
        @Override
        public String toString() {
            return "ExportRequest[passphrase=<hidden>]";
        }
    }

    /** A server credential's public facts. */
    record ServerCredentialView(String server, String host, String subject, String serial, Instant notBefore,
            Instant notAfter, String publicKeySha256) {
    }

    @GetMapping(BASE + "/ca-chain.pem")
    ResponseEntity<String> caChain() {
        return pem("ca-chain.pem", ServerCredential.pem(authorities.deviceCa().certificate(),
                authorities.serverCa().certificate(), authorities.rootCertificate()));
    }

    @GetMapping(BASE + "/root.pem")
    ResponseEntity<String> root() {
        return pem("root.pem", ServerCredential.pem(authorities.rootCertificate()));
    }

    @GetMapping(BASE + "/device-ca.pem")
    ResponseEntity<String> deviceCa() {
        return pem("device-ca.pem", ServerCredential.pem(authorities.deviceCa().certificate()));
    }

    @GetMapping(BASE + "/server-ca.pem")
    ResponseEntity<String> serverCa() {
        return pem("server-ca.pem", ServerCredential.pem(authorities.serverCa().certificate()));
    }

    @Transactional
    @PostMapping(path = BASE + "/servers/{name}/credentials", produces = MediaType.APPLICATION_JSON_VALUE)
    ServerCredentialView issue(@PathVariable("name") String name, @RequestBody(required = false) IssueRequest request) {
        String host = request != null && request.host() != null && !request.host().isBlank() ? request.host().strip()
                : hostOf(name);
        ServerCredential credential;
        try {
            credential = servers.issue(name, host);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("host", e.getMessage());
        }
        audit.record("pki.server-credential.issued", "server:" + name + " host:" + host + " serial:"
                + credential.certificate().getSerialNumber().toString(16));
        return view(name, credential);
    }

    @GetMapping(path = BASE + "/servers/{name}/credentials", produces = MediaType.APPLICATION_JSON_VALUE)
    ServerCredentialView describe(@PathVariable("name") String name) {
        return view(name, existing(name));
    }

    @GetMapping(BASE + "/servers/{name}/certificate.pem")
    ResponseEntity<String> certificate(@PathVariable("name") String name) {
        return pem(name + "-chain.pem", existing(name).certificateChainPem());
    }

    @Transactional
    @PostMapping(BASE + "/servers/{name}/export.p12")
    ResponseEntity<byte[]> exportPkcs12(@PathVariable("name") String name,
            @RequestHeader(name = PASSPHRASE_HEADER, required = false) String headerPassphrase,
            @RequestBody(required = false) ExportRequest body) {
        char[] passphrase = passphrase(headerPassphrase, body);
        try {
            byte[] p12 = exportable(name).toPkcs12(name, passphrase);
            audit.record("pki.server-credential.exported", "server:" + name + " format:pkcs12");
            return download(name + ".p12", PKCS12, p12);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    @Transactional
    @PostMapping(BASE + "/servers/{name}/key.pem")
    ResponseEntity<byte[]> exportKey(@PathVariable("name") String name,
            @RequestHeader(name = PASSPHRASE_HEADER, required = false) String headerPassphrase,
            @RequestBody(required = false) ExportRequest body) {
        char[] passphrase = passphrase(headerPassphrase, body);
        try {
            String pem = CertificateAuthorities.encryptedPem(exportable(name).privateKey(), passphrase,
                    authorities.crypto());
            audit.record("pki.server-credential.exported", "server:" + name + " format:encrypted-pkcs8");
            return download(name + "-key.pem", PEM, pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    @Transactional
    @PostMapping(BASE + "/root-key/export")
    ResponseEntity<byte[]> exportRootKey(@RequestHeader(name = PASSPHRASE_HEADER, required = false) String header,
            @RequestBody(required = false) ExportRequest body) {
        char[] passphrase = passphrase(header, body);
        try {
            String pem;
            try {
                pem = authorities.exportRootKey(passphrase);
            } catch (IllegalStateException e) {
                throw new StateConflictException("root-key-offline", e.getMessage());
            }
            audit.record("pki.root-key.exported", "root:" + authorities.rootCertificate().getSubjectX500Principal().getName());
            return download("root-key.pem", PEM, pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** A credential whose key may leave the service: not one inside a PKCS#11 token. */
    private ServerCredential exportable(String name) {
        ServerCredential credential = existing(name);
        if (P256Crypto.inToken(credential.privateKey())) {
            throw new StateConflictException("key-in-token", "The key of server '" + name + "' is in the PKCS#11 "
                    + "token and cannot leave it. Give that server a key of its own: issue its certificate on the CAs "
                    + "page (the download holds a key made for it), or run it on this service's token");
        }
        return credential;
    }

    private ServerCredential existing(String name) {
        try {
            return servers.find(name).orElseThrow(() -> new NotFoundException("Server '" + name + "' has no credential "
                    + "yet: issue one with POST " + BASE + "/servers/" + name + "/credentials"));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("name", e.getMessage());
        }
    }

    /** The host templates give the server; the device endpoint's own host for its server name. */
    private String hostOf(String name) {
        List<String> hosts = templates.all().stream().flatMap(t -> t.servers().stream())
                .filter(s -> s.name().equals(name)).map(DeviceTemplate.Server::host).distinct().toList();
        if (hosts.size() == 1) {
            return hosts.get(0);
        }
        if (hosts.isEmpty() && name.equals(endpoint.serverName())) {
            return endpoint.host();
        }
        throw new InvalidFieldException("host", hosts.isEmpty()
                ? "No template names a server '" + name + "': give its FQDN as {\"host\": \"coap.example.com\"}"
                : "Templates give server '" + name + "' several hosts " + hosts + ": choose one with {\"host\": ...}");
    }

    private static char[] passphrase(String header, ExportRequest body) {
        String value = header != null ? header : body != null ? body.passphrase() : null;
        if (value == null || value.length() < 8) {
            throw new InvalidFieldException("passphrase", "Give an export passphrase of at least 8 characters in the "
                    + "body as {\"passphrase\": \"...\"} or in the " + PASSPHRASE_HEADER + " header (never in the URL)");
        }
        return value.toCharArray();
    }

    private static ServerCredentialView view(String name, ServerCredential credential) {
        var cert = credential.certificate();
        String host = cert.getSubjectX500Principal().getName().replaceFirst("^.*CN=([^,]+).*$", "$1");
        return new ServerCredentialView(name, host, cert.getSubjectX500Principal().getName(),
                cert.getSerialNumber().toString(16), cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(),
                Sha256.hex(cert.getPublicKey().getEncoded()));
    }

    private static ResponseEntity<String> pem(String filename, String pem) {
        return ResponseEntity.ok().contentType(PEM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build()
                        .toString())
                .body(pem);
    }

    private static ResponseEntity<byte[]> download(String filename, MediaType type, byte[] body) {
        return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noStore())
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build()
                        .toString())
                .body(body);
    }
}
