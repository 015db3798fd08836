package dev.fleetkey.service.devices;

import dev.fleetkey.service.system.LocalKeystore;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.stereotype.Component;

/**
 * Interim PSK sealing: AES-256-GCM under a key kept in the service's PKCS#12 file. Sealed form:
 * 12-byte random nonce, then ciphertext and 16-byte tag; the context is the GCM associated data.
 */
@Component
class KeystorePskSealing implements PskSealing {

    static final String KEY_ALIAS = "psk-sealing-key";
    static final String KEY_ID = "local-aes256gcm-1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    KeystorePskSealing(LocalKeystore keystore) {
        KeyStore.Entry entry = keystore.entry(KEY_ALIAS, KeystorePskSealing::newKey);
        this.key = ((KeyStore.SecretKeyEntry) entry).getSecretKey();
    }

    @Override
    public SealedKey seal(byte[] plain, byte[] context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context);
            byte[] sealed = cipher.doFinal(plain);
            return new SealedKey(KEY_ID, ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public byte[] unseal(SealedKey sealed, byte[] context) {
        if (!KEY_ID.equals(sealed.keyId())) {
            throw new IllegalStateException("sealed with unknown key '" + sealed.keyId() + "'");
        }
        byte[] bytes = sealed.ciphertext();
        if (bytes.length <= NONCE_BYTES) {
            throw new IllegalStateException("sealed key is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(context);
            return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed key does not open: altered, or bound to another device", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static KeyStore.Entry newKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return new KeyStore.SecretKeyEntry(generator.generateKey());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256 is missing from this JVM", e);
        }
    }
}
