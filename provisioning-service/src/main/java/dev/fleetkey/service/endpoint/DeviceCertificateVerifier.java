package dev.fleetkey.service.endpoint;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import org.eclipse.californium.elements.util.CertPathUtil;
import org.eclipse.californium.scandium.dtls.AlertMessage;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertDescription;
import org.eclipse.californium.scandium.dtls.AlertMessage.AlertLevel;
import org.eclipse.californium.scandium.dtls.CertificateMessage;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.CertificateVerificationResult;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeException;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.x509.NewAdvancedCertificateVerifier;
import org.eclipse.californium.scandium.util.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetkey.bundle.Eui64;

/**
 * Authenticates a device by its raw public key or its certificate, from the directory on every
 * handshake. A certificate must chain to a device issuing CA and name its EUI-64 in the subject CN or a
 * SAN {@code urn:dev:mac:} URI (RFC 9039); both must agree when both are present. The EUI-64 becomes the
 * handshake's custom argument, which {@link DevicePrincipals} stores in the session's principal. A chain
 * that leads to no device issuing CA is accepted as a factory certificate when a template trusts its
 * manufacturer CA ({@link DeviceEnrollment#trustsFactoryChain}); such a session may only enroll.
 */
final class DeviceCertificateVerifier implements NewAdvancedCertificateVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceCertificateVerifier.class);
    private static final int URI = 6;
    private static final String URN_PREFIX = "urn:dev:mac:";

    private final DeviceCredentialDirectory directory;
    private final X509Certificate[] deviceIssuers;
    private final List<X500Principal> acceptedIssuers;
    private final Optional<DeviceEnrollment> enrollment;

    DeviceCertificateVerifier(DeviceCredentialDirectory directory, List<X509Certificate> deviceIssuers) {
        this(directory, deviceIssuers, Optional.empty());
    }

    /** With {@code enrollment}: also accepts factory certificates of manufacturer CAs a template trusts. */
    DeviceCertificateVerifier(DeviceCredentialDirectory directory, List<X509Certificate> deviceIssuers,
            Optional<DeviceEnrollment> enrollment) {
        this.directory = directory;
        this.deviceIssuers = deviceIssuers.toArray(new X509Certificate[0]);
        this.acceptedIssuers = deviceIssuers.stream().map(X509Certificate::getSubjectX500Principal).distinct().toList();
        this.enrollment = enrollment;
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return deviceIssuers.length == 0 ? List.of(CertificateType.RAW_PUBLIC_KEY)
                : List.of(CertificateType.X_509, CertificateType.RAW_PUBLIC_KEY);
    }

    @Override
    public CertificateVerificationResult verifyCertificate(ConnectionId cid, ServerNames serverName,
            InetSocketAddress remotePeer, boolean clientUsage, boolean verifySubject, boolean truncateCertificatePath,
            CertificateMessage message) {
        try {
            CertPath chain = message.getCertificateChain();
            if (chain == null) {
                PublicKey key = message.getPublicKey();
                KnownDevice device = directory.findByRawPublicKey(key.getEncoded())
                        .orElseThrow(() -> refuse("raw public key of no known (or a revoked) device",
                                AlertDescription.BAD_CERTIFICATE));
                return new CertificateVerificationResult(cid, key, device.eui64());
            }
            List<X509Certificate> certificates = CertPathUtil.toX509CertificatesList(chain.getCertificates());
            if (certificates.isEmpty()) {
                throw refuse("the client sent no certificate (it has none from a device CA this endpoint names)",
                        AlertDescription.BAD_CERTIFICATE);
            }
            X509Certificate leaf = certificates.get(0);
            CertPath validated;
            try {
                validated = CertPathUtil.validateCertificatePathWithIssuer(truncateCertificatePath, chain, deviceIssuers);
            } catch (GeneralSecurityException e) {
                if (enrollment.isPresent() && enrollment.get().trustsFactoryChain(certificates)
                        && CertPathUtil.canBeUsedForAuthentication(leaf, true)) {
                    // a factory certificate (IDevID): the session may enroll, and nothing else (SessionResource)
                    return new CertificateVerificationResult(cid, chain,
                            new DevicePrincipals.FactoryDevice(deviceOf(leaf)));
                }
                throw refuse("client certificate '" + leaf.getSubjectX500Principal().getName()
                        + "' does not chain to a device issuing CA: " + e.getMessage(), AlertDescription.UNKNOWN_CA);
            }
            if (!CertPathUtil.canBeUsedForAuthentication(leaf, true)) {
                throw refuse("client certificate may not be used by a client", AlertDescription.BAD_CERTIFICATE);
            }
            Eui64 eui64 = deviceOf(leaf);
            KnownDevice device = directory.findByCertificate(eui64, leaf)
                    .filter(known -> known.eui64().equals(eui64))
                    .orElseThrow(() -> refuse("certificate of " + eui64 + ", no known (or a revoked) device",
                            AlertDescription.CERTIFICATE_UNKNOWN));
            return new CertificateVerificationResult(cid, validated, device.eui64());
        } catch (HandshakeException e) {
            LOG.info("Device endpoint refused a handshake from {}: {}", remotePeer, e.getMessage());
            return new CertificateVerificationResult(cid, e, null);
        }
    }

    /** The EUI-64 a device certificate names; refused when it names none, or two different ones. */
    static Eui64 deviceOf(X509Certificate certificate) throws HandshakeException {
        List<Eui64> named = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    String value = String.valueOf(entry.get(1));
                    if ((Integer) entry.get(0) == URI && value.regionMatches(true, 0, URN_PREFIX, 0, URN_PREFIX.length())) {
                        named.add(Eui64.parse(value.substring(URN_PREFIX.length())));
                    }
                }
            }
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253)).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    parse(String.valueOf(rdn.getValue())).ifPresent(named::add);
                }
            }
        } catch (CertificateParsingException | InvalidNameException | IllegalArgumentException e) {
            throw refuse("client certificate's names do not parse: " + e.getMessage(), AlertDescription.BAD_CERTIFICATE);
        }
        if (named.isEmpty()) {
            throw refuse("client certificate names no EUI-64 (subject CN or SAN urn:dev:mac:)",
                    AlertDescription.BAD_CERTIFICATE);
        }
        if (named.stream().distinct().count() > 1) {
            throw refuse("client certificate names different EUI-64s " + named, AlertDescription.BAD_CERTIFICATE);
        }
        return named.get(0);
    }

    private static Optional<Eui64> parse(String commonName) {
        try {
            return Optional.of(Eui64.parse(commonName));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a CN that is not an EUI-64 may sit beside a SAN that is
        }
    }

    private static HandshakeException refuse(String why, AlertDescription alert) {
        return new HandshakeException(why, new AlertMessage(AlertLevel.FATAL, alert));
    }

    /**
     * Named in the CertificateRequest's {@code certificate_authorities}: the device issuing CAs. A client
     * holding its device CA beside its leaf then sends the leaf alone (Scandium truncates its chain there, RFC
     * 5246 section 7.4.4), which saves that CA certificate's bytes on every full handshake.
     */
    @Override
    public List<X500Principal> getAcceptedIssuers() {
        if (enrollment.isEmpty()) {
            return acceptedIssuers;
        }
        List<X500Principal> all = new ArrayList<>(acceptedIssuers);
        enrollment.get().factoryIssuers().stream().filter(issuer -> !all.contains(issuer)).forEach(all::add);
        return all;
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers are synchronous
    }
}
