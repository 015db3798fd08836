package dev.fleetkey.runtime.dtls;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

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

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.ServerCertificateExpiredException;
import dev.fleetkey.runtime.ServerNameMismatchException;
import dev.fleetkey.runtime.UntrustedServerException;

/**
 * Decides whether the server's raw public key or certificate chain is the one the bundle names.
 * Scandium's static verifier cannot match SHA-256 pins, and reports every refusal as one alert; this one
 * keeps the reason as a typed runtime exception ({@link #lastRejection()}) so the device operator is told
 * what to fix. Host names are matched against the bundle's host, not the dialled address, so a test or
 * port forward that dials an IP still checks the name the bundle expects.
 */
final class ServerIdentityVerifier implements NewAdvancedCertificateVerifier {

    private final List<PublicKey> serverKeys;
    private final List<byte[]> serverKeyPins;
    private final X509Certificate[] trustAnchors;
    private final String serverHost;
    private final AtomicReference<DeviceRuntimeException> lastRejection = new AtomicReference<>();

    private ServerIdentityVerifier(List<PublicKey> serverKeys, List<byte[]> serverKeyPins,
                                   List<X509Certificate> trustAnchors, String serverHost) {
        this.serverKeys = serverKeys;
        this.serverKeyPins = serverKeyPins;
        this.trustAnchors = trustAnchors == null ? null : trustAnchors.toArray(new X509Certificate[0]);
        this.serverHost = serverHost;
    }

    static ServerIdentityVerifier rawKeys(ClientCredentials.RawKey credentials) {
        return new ServerIdentityVerifier(credentials.serverKeys(), credentials.serverKeyPins(), null, null);
    }

    static ServerIdentityVerifier certificates(ClientCredentials.Certificates credentials) {
        return new ServerIdentityVerifier(List.of(), List.of(), credentials.trustAnchors(), credentials.serverHost());
    }

    /** Why the last server was refused, kept until the next handshake starts. */
    DeviceRuntimeException lastRejection() {
        return lastRejection.get();
    }

    void forgetRejection() {
        lastRejection.set(null);
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return List.of(trustAnchors == null ? CertificateType.RAW_PUBLIC_KEY : CertificateType.X_509);
    }

    @Override
    public CertificateVerificationResult verifyCertificate(ConnectionId cid, ServerNames serverName,
            InetSocketAddress remotePeer, boolean clientUsage, boolean verifySubject, boolean truncateCertificatePath,
            CertificateMessage message) {
        try {
            CertPath chain = message.getCertificateChain();
            if (chain == null) {
                return new CertificateVerificationResult(cid, verifyRawKey(message.getPublicKey()), null);
            }
            return new CertificateVerificationResult(cid, verifyChain(chain, truncateCertificatePath), null);
        } catch (Refusal refusal) {
            lastRejection.set(refusal.reason);
            return new CertificateVerificationResult(cid, new HandshakeException(refusal.reason.getMessage(),
                    new AlertMessage(AlertLevel.FATAL, refusal.alert)), null);
        }
    }

    private PublicKey verifyRawKey(PublicKey key) throws Refusal {
        if (trustAnchors != null || key == null) {
            throw new Refusal(new UntrustedServerException("the server sent a raw public key, but the bundle expects "
                    + "a certificate chain"), AlertDescription.UNSUPPORTED_CERTIFICATE);
        }
        byte[] spki = key.getEncoded();
        byte[] pin = Sha256.digest(spki);
        boolean listed = serverKeys.stream().anyMatch(k -> Arrays.equals(k.getEncoded(), spki));
        boolean pinned = serverKeyPins.stream().anyMatch(p -> MessageDigest.isEqual(p, pin));
        if (!listed && !pinned) {
            throw new Refusal(new UntrustedServerException("the server's raw public key (SHA-256 "
                    + HexFormat.of().formatHex(pin) + ") is not one the bundle trusts (" + serverKeys.size()
                    + " keys, " + serverKeyPins.size() + " pins): wrong server, or a new server key needs a newer "
                    + "bundle"), AlertDescription.BAD_CERTIFICATE);
        }
        return key;
    }

    private CertPath verifyChain(CertPath chain, boolean truncate) throws Refusal {
        if (trustAnchors == null) {
            throw new Refusal(new UntrustedServerException("the server sent a certificate chain, but the bundle pins "
                    + "a raw public key"), AlertDescription.UNSUPPORTED_CERTIFICATE);
        }
        List<X509Certificate> certificates = CertPathUtil.toX509CertificatesList(chain.getCertificates());
        if (certificates.isEmpty()) {
            throw new Refusal(new UntrustedServerException("the server sent no certificate"),
                    AlertDescription.BAD_CERTIFICATE);
        }
        X509Certificate leaf = certificates.get(0);
        CertPath validated;
        try {
            validated = CertPathUtil.validateCertificatePathWithIssuer(truncate, chain, trustAnchors);
        } catch (CertPathValidatorException e) {
            if (e.getCause() instanceof CertificateExpiredException
                    || e.getCause() instanceof CertificateNotYetValidException) {
                X509Certificate expired = outOfDate(certificates);
                throw new Refusal(new ServerCertificateExpiredException(
                        expired.getSubjectX500Principal().getName(), expired.getNotAfter().toInstant()),
                        AlertDescription.CERTIFICATE_EXPIRED);
            }
            throw untrusted(leaf, e);
        } catch (GeneralSecurityException e) {
            throw untrusted(leaf, e);
        }
        if (!CertPathUtil.canBeUsedForAuthentication(leaf, false)) {
            throw new Refusal(new UntrustedServerException("the server's certificate '"
                    + leaf.getSubjectX500Principal().getName() + "' may not be used by a server (key usage or "
                    + "extended key usage)"), AlertDescription.BAD_CERTIFICATE);
        }
        if (!HostNames.matches(leaf, serverHost)) {
            throw new Refusal(new ServerNameMismatchException(serverHost, HostNames.presented(leaf)),
                    AlertDescription.BAD_CERTIFICATE);
        }
        return validated;
    }

    private Refusal untrusted(X509Certificate leaf, GeneralSecurityException e) {
        List<String> anchors = new ArrayList<>();
        for (X509Certificate anchor : trustAnchors) {
            anchors.add(anchor.getSubjectX500Principal().getName());
        }
        return new Refusal(new UntrustedServerException("the server's certificate '"
                + leaf.getSubjectX500Principal().getName() + "' (issuer '" + leaf.getIssuerX500Principal().getName()
                + "') does not chain to the bundle's trust anchors " + anchors + ": " + e.getMessage()),
                AlertDescription.BAD_CERTIFICATE);
    }

    private static X509Certificate outOfDate(List<X509Certificate> certificates) {
        for (X509Certificate certificate : certificates) {
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException | CertificateNotYetValidException e) {
                return certificate;
            }
        }
        return certificates.get(0);
    }

    @Override
    public List<javax.security.auth.x500.X500Principal> getAcceptedIssuers() {
        return List.of(); // a client is never asked for a CertificateRequest's authorities
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers are synchronous
    }

    /** A refusal with its reason for the operator and the alert for the wire. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient DeviceRuntimeException reason;
        private final transient AlertDescription alert;

        Refusal(DeviceRuntimeException reason, AlertDescription alert) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
            this.alert = alert;
        }
    }
}
