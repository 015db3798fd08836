package dev.fleetkey.service.endpoint;

import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.DTLSSession;
import org.eclipse.californium.scandium.dtls.ResumptionVerificationResult;
import org.eclipse.californium.scandium.dtls.SessionId;
import org.eclipse.californium.scandium.dtls.resumption.ConnectionStoreResumptionVerifier;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scandium's resumption check (is the session in the connection store?) plus ours: is the credential the
 * session authenticated with still valid ({@link CurrentCredentials})? When it is not, the endpoint answers
 * as if the session were unknown: Scandium falls back to a full handshake, and that fails with the alert a
 * fresh handshake with the same credential gets ({@code decrypt_error} for a PSK, {@code bad_certificate}
 * or {@code certificate_unknown} for a raw public key or a certificate).
 */
final class CurrentCredentialResumption extends ConnectionStoreResumptionVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(CurrentCredentialResumption.class);

    private final CurrentCredentials credentials;

    CurrentCredentialResumption(CurrentCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public ResumptionVerificationResult verifyResumptionRequest(ConnectionId cid, ServerNames serverName,
            SessionId sessionId) {
        ResumptionVerificationResult stored = super.verifyResumptionRequest(cid, serverName, sessionId);
        DTLSSession session = stored.getDTLSSession();
        if (session == null || credentials.stillValid(session.getPeerIdentity()).isPresent()) {
            return stored;
        }
        LOG.info("Device endpoint refused to resume a session of {}: its credential is revoked or expired; "
                + "a full handshake follows", DevicePrincipals.deviceOf(session.getPeerIdentity())
                .map(Object::toString).orElse("an unknown device"));
        SecretUtil.destroy(session);
        return new ResumptionVerificationResult(cid, null, null);
    }
}
