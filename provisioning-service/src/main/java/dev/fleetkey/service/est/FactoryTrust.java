package dev.fleetkey.service.est;

import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.security.auth.x500.X500Principal;
import org.springframework.stereotype.Component;

/**
 * Which templates trust a factory certificate (IDevID): those whose {@code est.factory-cas} holds a CA the
 * chain validates to (RFC 5280 path validation; no revocation check, a manufacturer publishes none to us).
 * Asked in the handshake and again for each enrollment, from the templates loaded now.
 */
@Component
class FactoryTrust {

    private final TemplateCatalog templates;

    FactoryTrust(TemplateCatalog templates) {
        this.templates = templates;
    }

    /** Every loaded template version that trusts {@code chain} (leaf first). */
    List<DeviceTemplate> templatesTrusting(List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            return List.of();
        }
        return templates.all().stream().filter(t -> !t.est().factoryCas().isEmpty())
                .filter(t -> validates(chain, t.est().factoryCas())).toList();
    }

    /** The subjects of every trusted manufacturer CA. */
    List<X500Principal> issuers() {
        return templates.all().stream().flatMap(t -> t.est().factoryCas().stream())
                .map(X509Certificate::getSubjectX500Principal).distinct().toList();
    }

    static boolean validates(List<X509Certificate> chain, List<X509Certificate> cas) {
        Set<TrustAnchor> anchors = cas.stream().map(ca -> new TrustAnchor(ca, null)).collect(Collectors.toSet());
        // a client may send the CA itself after its leaf: the anchor is not part of the path
        List<X509Certificate> path = chain.stream().filter(c -> !cas.contains(c)).toList();
        if (path.isEmpty()) {
            return false;
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
