package dev.fleetkey.runtime.keys;

import dev.fleetkey.runtime.state.RenewedCredential;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Keys held in the state directory: made with the platform's EC generator, stored as PKCS#8 (owner-only file). */
public final class SoftwareKeys implements DeviceKeyStore {

    @Override
    public NewKey generate() throws DeviceKeyException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return new NewKey(pair.getPublic(), pair.getPrivate(), null);
        } catch (GeneralSecurityException e) {
            throw new DeviceKeyException("this Java runtime cannot make P-256 keys: " + e.getMessage(), e);
        }
    }

    @Override
    public RenewedCredential keep(NewKey key, String deviceBundleId, List<X509Certificate> chain) {
        byte[] pkcs8 = key.privateKey().getEncoded();
        try {
            return RenewedCredential.software(deviceBundleId, pkcs8, chain);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    @Override
    public PrivateKey privateKey(RenewedCredential credential) throws DeviceKeyException {
        if (credential.inToken()) {
            throw new DeviceKeyException("the renewed certificate's key is in a PKCS#11 token (label '"
                    + credential.tokenKeyLabel() + "'): give the token options (--pkcs11-module, --pkcs11-token,"
                    + " --pkcs11-pin-env)");
        }
        byte[] pkcs8 = credential.softwareKey();
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new DeviceKeyException("the renewed credential's key is not a PKCS#8 EC key: remove the"
                    + " credentials directory's entry and renew again");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    @Override
    public Optional<PrivateKey> bundleKey() {
        return Optional.empty();
    }

    @Override
    public void remove(RenewedCredential old) {
        // the key lives in the credential file, which the switch replaced
    }
}
