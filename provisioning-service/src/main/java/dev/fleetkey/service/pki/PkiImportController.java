package dev.fleetkey.service.pki;

import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.StateConflictException;
import java.util.Base64;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/pki/import}: replaces the CA hierarchy the service made on first start with an
 * existing one (PEM texts, or a PKCS#12 file as base64). Allowed only while no device holds anything that
 * depends on the current hierarchy: no device certificate and no raw-public-key credential (whose bundle
 * pins a server key). Server credentials are deleted and reissued from the new server CA on their next
 * need; the device endpoint reads its credentials at start-up, so the answer asks for a restart.
 */
@RestController
class PkiImportController {

    private final CertificateAuthorities authorities;
    private final ServerCredentialStore servers;
    private final JdbcClient jdbc;
    private final AuditTrail audit;

    PkiImportController(CertificateAuthorities authorities, ServerCredentialStore servers, JdbcClient jdbc,
            AuditTrail audit) {
        this.authorities = authorities;
        this.servers = servers;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /**
     * {@code format} {@code pem}: {@code root} (certificate, optionally its key), {@code deviceCa} and
     * {@code serverCa} (certificate and key each), {@code passphrase} for encrypted keys. {@code format}
     * {@code pkcs12}: {@code pkcs12} (base64), {@code passphrase}, {@code deviceCaAlias}, {@code serverCaAlias}.
     */
    record ImportRequest(String format, String root, String deviceCa, String serverCa, String pkcs12, String passphrase,
            String deviceCaAlias, String serverCaAlias) {
        @Override
        public String toString() {
            return "ImportRequest[" + format + ", keys and passphrase hidden]";
        }
    }

    @Transactional
    @PostMapping(path = PkiController.BASE + "/import", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    synchronized Map<String, String> importHierarchy(@RequestBody ImportRequest request) {
        long dependent = jdbc.sql("SELECT COUNT(*) FROM device_credentials WHERE mode <> 'PSK'")
                .query(Long.class).single();
        if (dependent > 0) {
            throw new StateConflictException("hierarchy-in-use", "The current CA hierarchy is in use: " + dependent
                    + " device certificate or raw-public-key credential(s) depend on it. Import a hierarchy only into a "
                    + "service that has issued none yet, e.g. a new data directory");
        }
        CaHierarchyImport imported = read(request);
        authorities.replaceWith(imported);
        servers.deleteAll();
        audit.record("pki.hierarchy.imported", "root:" + imported.root().getSubjectX500Principal().getName()
                + " rootKey:" + (imported.rootKey() != null ? "online" : "offline"));
        return Map.of("root", imported.root().getSubjectX500Principal().getName(),
                "deviceCa", imported.deviceCa().certificate().getSubjectX500Principal().getName(),
                "serverCa", imported.serverCa().certificate().getSubjectX500Principal().getName(),
                "rootKey", imported.rootKey() != null ? "online" : "offline",
                "action", "Restart the service so the device endpoint presents a certificate from the imported hierarchy");
    }

    private static CaHierarchyImport read(ImportRequest request) {
        char[] passphrase = request.passphrase() == null ? null : request.passphrase().toCharArray();
        try {
            if ("pem".equals(request.format())) {
                return CaHierarchyImport.fromPem(request.root(), request.deviceCa(), request.serverCa(), passphrase);
            }
            if ("pkcs12".equals(request.format())) {
                if (request.pkcs12() == null || passphrase == null || request.deviceCaAlias() == null
                        || request.serverCaAlias() == null) {
                    throw new InvalidFieldException("pkcs12", "A PKCS#12 import needs pkcs12 (base64), passphrase, "
                            + "deviceCaAlias and serverCaAlias");
                }
                return CaHierarchyImport.fromPkcs12(decode(request.pkcs12()), passphrase, request.deviceCaAlias(),
                        request.serverCaAlias());
            }
            throw new InvalidFieldException("format", "format must be pem or pkcs12");
        } catch (CaImportException e) {
            throw new InvalidFieldException(request.format(), e.getMessage());
        } finally {
            if (passphrase != null) {
                java.util.Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("pkcs12", "pkcs12 is not base64: send the file's bytes base64-encoded");
        }
    }
}
