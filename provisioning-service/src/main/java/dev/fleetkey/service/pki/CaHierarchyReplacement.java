package dev.fleetkey.service.pki;

import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.StateConflictException;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replaces the CA hierarchy the service made on first start with an imported one, only while nothing depends on
 * the current one. One replacement at a time: the guard is held around the whole transaction, so a second
 * import sees the first one committed.
 */
@Service
class CaHierarchyReplacement {

    /** The hierarchy to import: PEM texts, or a PKCS#12 file as base64; secrets hidden from {@code toString}. */
    record ImportRequest(String format, String root, String deviceCa, String serverCa, String pkcs12, String passphrase,
            String deviceCaAlias, String serverCaAlias) {
        @Override
        public String toString() {
            return "ImportRequest[" + format + ", keys and passphrase hidden]";
        }
    }

    private final CertificateAuthorities authorities;
    private final ServerCredentialStore servers;
    private final HierarchyDependents dependents;
    private final KeySetupLock keySetup;
    private final KeyVault vault;
    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final ReentrantLock guard = new ReentrantLock();

    CaHierarchyReplacement(CertificateAuthorities authorities, ServerCredentialStore servers,
            HierarchyDependents dependents, KeySetupLock keySetup, KeyVault vault, AuditTrail audit,
            PlatformTransactionManager transactions) {
        this.keySetup = keySetup;
        this.vault = vault;
        this.authorities = authorities;
        this.servers = servers;
        this.dependents = dependents;
        this.audit = audit;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** Imports {@code request}'s hierarchy; server credentials are reissued from the new server CA on next need. */
    CaHierarchyImport replace(ImportRequest request) {
        guard.lock();
        try {
            return transactions.execute(status -> replaceInTransaction(request));
        } finally {
            guard.unlock();
        }
    }

    private CaHierarchyImport replaceInTransaction(ImportRequest request) {
        long dependent = dependents.credentialsDependingOnHierarchy();
        if (dependent > 0) {
            throw new StateConflictException("hierarchy-in-use", "The current CA hierarchy is in use: " + dependent
                    + " device certificate or raw-public-key credential(s) depend on it. Import a hierarchy only into a "
                    + "service that has issued none yet, e.g. a new data directory");
        }
        CaHierarchyImport imported = read(request);
        authorities.replaceWith(imported);
        keySetup.record(authorities, vault);
        servers.deleteAll();
        audit.record("pki.hierarchy.imported", "root:" + imported.root().getSubjectX500Principal().getName()
                + " rootKey:" + (imported.rootKey() != null ? "online" : "offline"));
        return imported;
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
                Arrays.fill(passphrase, '\0');
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
