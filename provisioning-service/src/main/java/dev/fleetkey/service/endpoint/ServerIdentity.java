package dev.fleetkey.service.endpoint;

import java.security.cert.X509Certificate;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.eclipse.californium.scandium.dtls.CertificateIdentityResult;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.SignatureAndHashAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite.CertificateKeyAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.XECDHECryptography.SupportedGroup;
import org.eclipse.californium.scandium.dtls.x509.CertificateConfigurationHelper;
import org.eclipse.californium.scandium.dtls.x509.CertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.ConfigurationHelperSetup;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;

/**
 * The endpoint's own key and certificate chain for the ECDHE handshakes, replaceable while the endpoint
 * runs: a handshake that starts after {@link #use} signs with the new key. Sessions already established keep
 * their keys (a server rotation does not end them; devices pinning the old key get the new one in their next
 * bundle, within the rotation's overlap).
 */
final class ServerIdentity implements CertificateProvider, ConfigurationHelperSetup {

    private volatile SingleCertificateProvider current;
    private volatile EndpointCredentials credentials;

    ServerIdentity(EndpointCredentials credentials) {
        use(credentials);
    }

    /**
     * Serves {@code next} from the next handshake on. Scandium's check of the key pair signs with the calling
     * thread's cached {@code Signature}, which for a key inside a PKCS#11 token (no encoding) may predate the token's
     * provider; the token made that key for this certificate, so the check is left out for it. Handshakes run on
     * Scandium's own threads, which resolve the token's provider.
     */
    void use(EndpointCredentials next) {
        SingleCertificateProvider provider = next.chain().isEmpty()
                ? new SingleCertificateProvider(next.privateKey(), next.publicKey())
                : new SingleCertificateProvider(next.privateKey(), next.chain().toArray(new X509Certificate[0]),
                        CertificateType.X_509, CertificateType.RAW_PUBLIC_KEY);
        this.current = provider.setVerifyKeyPair(next.privateKey().getEncoded() != null);
        this.credentials = next;
    }

    /** What is served now. */
    EndpointCredentials credentials() {
        return credentials;
    }

    @Override
    public void setupConfigurationHelper(CertificateConfigurationHelper helper) {
        current.setupConfigurationHelper(helper);
    }

    @Override
    public List<CertificateKeyAlgorithm> getSupportedCertificateKeyAlgorithms() {
        return current.getSupportedCertificateKeyAlgorithms();
    }

    @Override
    public List<CertificateType> getSupportedCertificateTypes() {
        return current.getSupportedCertificateTypes();
    }

    @Override
    public CertificateIdentityResult requestCertificateIdentity(ConnectionId cid, boolean client,
            List<X500Principal> issuers, org.eclipse.californium.scandium.util.ServerNames serverNames,
            List<CertificateKeyAlgorithm> certificateKeyAlgorithms,
            List<SignatureAndHashAlgorithm> signatureAndHashAlgorithms, List<SupportedGroup> curves) {
        return current.requestCertificateIdentity(cid, client, issuers, serverNames, certificateKeyAlgorithms,
                signatureAndHashAlgorithms, curves);
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers are synchronous
    }
}
