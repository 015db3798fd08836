package dev.fleetkey.runtime.state;

import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.SecretsDecryptionException;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;

/**
 * The device's current key: the P-256 private key of its first raw-public-key or certificate server in
 * its device bundle. New device bundles (rotation, recovery) arrive sealed to it.
 */
final class DeviceKeys {

    private DeviceKeys() {
    }

    /** PKCS#8 of the current key. */
    static byte[] current(BundlePayload deviceBundle) throws SecretsDecryptionException {
        for (ServerEntry server : deviceBundle.servers()) {
            byte[] key = server.credentials() instanceof ServerCredentials.RawPublicKey raw ? raw.clientPrivateKey()
                    : server.credentials() instanceof ServerCredentials.Certificates c ? c.clientPrivateKey() : null;
            if (key != null) {
                return key;
            }
        }
        throw new SecretsDecryptionException("the package's device bundle is sealed, but this device holds no private"
                + " key to open it with (only PSK servers): deliver PSK devices' new bundles sealed to the station key");
    }

    static PrivateKey privateKey(byte[] pkcs8) throws SecretsDecryptionException {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new SecretsDecryptionException("the device's key is not a PKCS#8 EC key");
        }
    }
}
