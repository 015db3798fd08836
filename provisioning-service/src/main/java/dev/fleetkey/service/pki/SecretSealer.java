package dev.fleetkey.service.pki;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts secrets at rest (PSKs, device private keys) with AES-256-GCM under a key-encryption key (KEK)
 * kept in the {@link KeyVault}.
 *
 * <p>Sealed format, version 1: {@code 0x01 | kekId (1 byte) | nonce (12 random bytes) | ciphertext | tag
 * (16 bytes)}. The associated data is the two header bytes followed by the UTF-8 context string (e.g.
 * {@code "psk:" + eui64}), so a blob copied to another device's row, or altered in any byte, fails to open.
 * A random 96-bit nonce per seal keeps the GCM nonce-reuse risk negligible below 2^32 seals per KEK.
 */
public final class SecretSealer {

    public static final String KEK_ALIAS = "fleetkey-secret-kek-1";
    static final byte FORMAT_VERSION = 1;
    static final byte KEK_ID = 1;
    private static final int HEADER_LENGTH = 2;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey kek;
    private final SecureRandom random;

    /**
     * Uses the vault's KEK, creating a fresh AES-256 key there on first use (inside the token for a PKCS#11 vault:
     * then every seal and open runs in the token, through JCA's delayed provider selection).
     */
    public SecretSealer(KeyVault vault, SecureRandom random) {
        this.random = random;
        this.kek = vault.secretKey(KEK_ALIAS).orElseGet(() -> {
            SecretKey created = vault.generateAesKey();
            vault.storeSecretKey(KEK_ALIAS, created);
            return created;
        });
    }

    /**
     * Encrypts {@code secret} bound to {@code context}.
     *
     * @param context names what the secret is and whose it is, e.g. {@code "psk:00-11-22-FF-FE-33-44-55"}
     */
    public byte[] seal(byte[] secret, String context) {
        byte[] header = {FORMAT_VERSION, KEK_ID};
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(header, context));
            byte[] ciphertext = cipher.doFinal(secret);
            return ByteBuffer.allocate(HEADER_LENGTH + NONCE_LENGTH + ciphertext.length)
                    .put(header).put(nonce).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable", e);
        }
    }

    /**
     * Decrypts a blob made by {@link #seal} with the same {@code context}.
     *
     * @throws SealedSecretException if the blob was altered, belongs to another context, or is not a sealed
     *                               secret of a known format
     */
    public byte[] open(byte[] sealed, String context) throws SealedSecretException {
        if (sealed == null || sealed.length < HEADER_LENGTH + NONCE_LENGTH + TAG_BITS / 8) {
            throw new SealedSecretException("Not a sealed secret: too short");
        }
        if (sealed[0] != FORMAT_VERSION) {
            throw new SealedSecretException("Unknown sealed-secret format version " + (sealed[0] & 0xFF)
                    + "; this service reads version " + FORMAT_VERSION);
        }
        if (sealed[1] != KEK_ID) {
            throw new SealedSecretException("Sealed under key-encryption key " + (sealed[1] & 0xFF)
                    + ", which this keystore does not hold");
        }
        byte[] header = Arrays.copyOfRange(sealed, 0, HEADER_LENGTH);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, sealed, HEADER_LENGTH, NONCE_LENGTH));
            cipher.updateAAD(associatedData(header, context));
            return cipher.doFinal(sealed, HEADER_LENGTH + NONCE_LENGTH, sealed.length - HEADER_LENGTH - NONCE_LENGTH);
        } catch (AEADBadTagException e) {
            throw new SealedSecretException("Sealed secret for '" + context + "' failed authentication: it was "
                    + "altered or belongs to another context", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is unavailable", e);
        }
    }

    private static byte[] associatedData(byte[] header, String context) {
        byte[] contextBytes = context.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(header.length + contextBytes.length).put(header).put(contextBytes).array();
    }
}
