package dev.fleetkey.service.pki;

import java.util.Map;
import org.springframework.http.MediaType;
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

    private final CaHierarchyReplacement replacement;

    PkiImportController(CaHierarchyReplacement replacement) {
        this.replacement = replacement;
    }

    /**
     * {@code format} {@code pem}: {@code root} (certificate, optionally its key), {@code deviceCa} and
     * {@code serverCa} (certificate and key each), {@code passphrase} for encrypted keys. {@code format}
     * {@code pkcs12}: {@code pkcs12} (base64), {@code passphrase}, {@code deviceCaAlias}, {@code serverCaAlias}.
     */
    @PostMapping(path = PkiController.BASE + "/import", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> importHierarchy(@RequestBody CaHierarchyReplacement.ImportRequest request) {
        CaHierarchyImport imported = replacement.replace(request);
        return Map.of("root", imported.root().getSubjectX500Principal().getName(),
                "deviceCa", imported.deviceCa().certificate().getSubjectX500Principal().getName(),
                "serverCa", imported.serverCa().certificate().getSubjectX500Principal().getName(),
                "rootKey", imported.rootKey() != null ? "online" : "offline",
                "action", "Restart the service so the device endpoint presents a certificate from the imported hierarchy");
    }
}
