package dev.fleetkey.service.endpoint;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.SecretKey;

import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * Scandium's PSK lookup, answered from the {@link DeviceCredentialDirectory}. The device's EUI-64 rides
 * along as the handshake's custom argument so the authenticated principal names the device.
 *
 * <p>An unknown identity gets a fresh random key instead of "no key": RFC 4279 section 2 allows a server
 * to continue "as if the identity existed but the key was incorrect". The handshake then fails at the
 * client's Finished exactly like a wrong key, and {@link FinishedMacFailureAlerts} answers both with
 * {@code decrypt_error}, so nobody can probe which identities exist.
 */
final class DirectoryPskStore implements AdvancedPskStore {

    private static final int DECOY_KEY_LENGTH = 16;

    private final DeviceCredentialDirectory directory;
    private final SecureRandom random = new SecureRandom();

    DirectoryPskStore(DeviceCredentialDirectory directory) {
        this.directory = directory;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return false;
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName,
            PskPublicInformation identity, String hmacAlgorithm, SecretKey otherSecret, byte[] seed,
            boolean useExtendedMasterSecret) {
        Optional<KnownDevice> device = directory.findByPskIdentity(identity.getBytes())
                .filter(known -> known.psk() != null);
        byte[] key = device.map(known -> known.psk().key()).orElseGet(this::decoyKey);
        try {
            SecretKey secret = SecretUtil.create(key, "PSK");
            return new PskSecretResult(cid, identity, secret, device
                    .map(known -> new DevicePrincipals.PskDevice(known.eui64(), identity.getBytes())).orElse(null));
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private byte[] decoyKey() {
        byte[] key = new byte[DECOY_KEY_LENGTH];
        random.nextBytes(key);
        return key;
    }

    /** A server never chooses an identity: that is the client's side of the store. */
    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
        return null;
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers are synchronous
    }
}
