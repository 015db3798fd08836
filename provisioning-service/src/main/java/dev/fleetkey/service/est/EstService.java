package dev.fleetkey.service.est;

import dev.fleetkey.bundle.BundleSecrets;
import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.devices.CertificateEnrollment;
import dev.fleetkey.service.devices.DeviceCredential.KeyOrigin;
import dev.fleetkey.service.endpoint.DeviceEndpointProperties;
import dev.fleetkey.service.endpoint.DeviceEnrollment;
import dev.fleetkey.service.pki.CertificateAuthorities;
import dev.fleetkey.service.pki.DeviceKeyRejectedException;
import dev.fleetkey.service.pki.DevicePublicKeys;
import dev.fleetkey.service.pki.EstEncodings;
import dev.fleetkey.service.pki.P256Crypto;
import dev.fleetkey.service.pki.RevocationLists;
import dev.fleetkey.service.system.FleetkeyException;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.templates.DeviceTemplate;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.security.auth.x500.X500Principal;
import org.springframework.stereotype.Component;

/**
 * EST-coaps for the device endpoint (RFC 9148 over RFC 7030): the CA certificates, enrollment with a CSR made on
 * the device, server-side key generation and the device CA's CRL. Who may enroll is the device template's
 * {@code est} section ({@link EnrollmentPolicy}); the certificate is issued like a station's
 * ({@link CertificateEnrollment}). Every enrollment and every refusal is in the audit log under the device.
 */
@Component
class EstService implements DeviceEnrollment {

    private static final int AUDIT_SUBJECT_LENGTH = 256;

    private final CertificateAuthorities cas;
    private final RevocationLists crls;
    private final DevicePublicKeys publicKeys;
    private final CertificateEnrollment enrollment;
    private final EnrollmentPolicy policy;
    private final FactoryTrust factoryTrust;
    private final P256Crypto crypto;
    private final AuditTrail audit;
    private final String endpointServer;

    EstService(CertificateAuthorities cas, RevocationLists crls, DevicePublicKeys publicKeys,
            CertificateEnrollment enrollment, EnrollmentPolicy policy, FactoryTrust factoryTrust, P256Crypto crypto,
            AuditTrail audit, DeviceEndpointProperties endpoint) {
        this.cas = cas;
        this.crls = crls;
        this.publicKeys = publicKeys;
        this.enrollment = enrollment;
        this.policy = policy;
        this.factoryTrust = factoryTrust;
        this.crypto = crypto;
        this.audit = audit;
        this.endpointServer = endpoint.serverName();
    }

    @Override
    public boolean trustsFactoryChain(List<X509Certificate> chain) {
        return !factoryTrust.templatesTrusting(chain).isEmpty();
    }

    @Override
    public List<X500Principal> factoryIssuers() {
        return factoryTrust.issuers();
    }

    @Override
    public Reply caCertificates(int format) {
        List<X509Certificate> chain = cas.deviceCa().chain();
        return format == PKIX_CERT ? new Reply(PKIX_CERT, der(cas.deviceCa().root()))
                : new Reply(PKCS7_CERTS_ONLY, EstEncodings.certsOnly(chain));
    }

    @Override
    public Reply enroll(Enrollee enrollee, byte[] csr, boolean reEnroll, int format) {
        String context = context(enrollee, reEnroll ? "/sren" : "/sen");
        X509Certificate issued = audited(enrollee, context, () -> {
            EnrollmentPolicy.Decision decision = policy.decide(enrollee, reEnroll);
            Eui64 device = enrollee.session().device();
            PublicKey key = checkedKey(csr, device);
            if (decision.provisionFrom() != null) {
                return enrollment.provision(device, decision.provisionFrom(), csr, endpointServer, context).certificate();
            }
            return enrollment.reissue(device, key, KeyOrigin.DEVICE, endpointServer, decision.overlap(), context)
                    .certificate();
        });
        return format == PKIX_CERT ? new Reply(PKIX_CERT, der(issued))
                : new Reply(PKCS7_CERTS_ONLY, EstEncodings.certsOnly(List.of(issued)));
    }

    @Override
    public Reply csrAttributes() {
        return new Reply(CSR_ATTRIBUTES, EstEncodings.p256CsrAttributes());
    }

    @Override
    public Reply serverKeyGeneration(Enrollee enrollee, byte[] csr) {
        String context = context(enrollee, "/skg");
        return audited(enrollee, context, () -> {
            EnrollmentPolicy.Decision decision = policy.decide(enrollee, false);
            DeviceTemplate.ServerKeys mode = policy.serverKeys(enrollee, decision);
            Eui64 device = enrollee.session().device();
            checkedKey(csr, device); // the request's own key is not certified (RFC 7030 section 4.4.1)
            KeyPair pair = crypto.generateKeyPair();
            X509Certificate issued = enrollment.reissue(device, pair.getPublic(), KeyOrigin.SERVICE, endpointServer,
                    decision.overlap(), context).certificate();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            try {
                byte[] certificate = EstEncodings.certsOnly(List.of(issued));
                return mode == DeviceTemplate.ServerKeys.CLEAR
                        ? new Reply(MULTIPART_CORE, MultipartCore.of(PKCS8, pkcs8, PKCS7_CERTS_ONLY, certificate))
                        : new Reply(MULTIPART_CORE, MultipartCore.of(PKCS7_SERVER_GENERATED_KEY,
                                BundleSecrets.sealData(pkcs8, enrollee.session().sessionKey()), PKCS7_CERTS_ONLY,
                                certificate));
            } finally {
                Arrays.fill(pkcs8, (byte) 0);
            }
        });
    }

    @Override
    public Reply deviceCaCrl(int format) {
        byte[] crl = crls.current(RevocationLists.DEVICE_CA).der();
        return format == PKCS7_CERTS_ONLY ? new Reply(PKCS7_CERTS_ONLY, EstEncodings.certsOnlyWithCrl(crl))
                : new Reply(OCTET_STREAM, crl);
    }

    /** The CSR's key after the station's checks: signature (proof of possession), P-256, names this device. */
    private PublicKey checkedKey(byte[] csr, Eui64 device) {
        try {
            return publicKeys.fromCsr(csr, device);
        } catch (DeviceKeyRejectedException.ForeignIdentity e) {
            throw new EnrollmentRefusedException(e.getMessage() + " This DTLS session authenticated "
                    + device.canonical() + ", which can only enroll as itself.");
        } catch (DeviceKeyRejectedException e) {
            throw new InvalidFieldException("csr", e.getMessage());
        }
    }

    /** Runs {@code action}; a refusal is written to the audit log under the device before it is answered. */
    private <T> T audited(Enrollee enrollee, String context, Supplier<T> action) {
        try {
            return action.get();
        } catch (FleetkeyException e) {
            String subject = "device:" + enrollee.session().device().canonical() + " " + context + " reason:"
                    + e.reason() + " " + e.getMessage();
            audit.record("device.enrollment-refused", cut(subject, AUDIT_SUBJECT_LENGTH));
            throw e;
        }
    }

    private static String context(Enrollee enrollee, String resource) {
        String via = enrollee.factory()
                ? "factory-certificate issuer:'" + cut(enrollee.factoryChain().get(0).getIssuerX500Principal().getName(),
                        64) + "'"
                : enrollee.session().mode().name().toLowerCase(Locale.ROOT);
        return "est:" + resource + " via:" + via + " from:" + enrollee.session().remoteAddress();
    }

    /** The audit log keeps subjects of up to 256 characters; the full refusal is in the service log too. */
    private static String cut(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length - 3) + "...";
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("A certificate cannot be encoded", e);
        }
    }
}
