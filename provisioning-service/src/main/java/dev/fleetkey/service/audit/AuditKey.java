package dev.fleetkey.service.audit;

import dev.fleetkey.service.pki.KeyVault;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.springframework.stereotype.Component;

/**
 * The secret that keys the audit chain: an HMAC-SHA256 key in the {@link KeyVault} under {@value #ALIAS}, as
 * EJBCA keys its integrity-protected log. Without it nobody can compute an entry's link, so an attacker with
 * only database access cannot rewrite the chain and recompute it. The key is used only through
 * {@link Mac#init} and never read out, so a PKCS#11 vault can keep it on a token.
 *
 * <p>On first start the key is made here but stored only by {@link #store}, after the database has recorded
 * where the keyed chain begins: a crash in between leaves no key, and the next start begins again.
 */
@Component
public class AuditKey {

    /** The key's alias in the key store. */
    public static final String ALIAS = "fleetkey-audit-mac-1";
    private static final String ALGORITHM = "HmacSHA256";

    private final KeyVault vault;
    private final SecretKey key;
    private volatile boolean stored;

    AuditKey(KeyVault vault) {
        this.vault = vault;
        // opening a PKCS#12 entry runs a password-based KDF, so the key object is kept, not looked up per entry
        SecretKey existing = vault.secretKey(ALIAS).orElse(null);
        this.key = existing != null ? existing : generate();
        this.stored = existing != null;
    }

    /** Whether the key was made by this start and is not yet in the key store. */
    boolean isNew() {
        return !stored;
    }

    /** Puts a new key into the key store; nothing to do for a key read from it. */
    synchronized void store() {
        if (!stored) {
            vault.storeSecretKey(ALIAS, key);
            stored = true;
        }
    }

    /** A fresh HMAC-SHA256 under the key; a {@link Mac} is not thread-safe, so each user takes its own. */
    Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 cannot use the audit key " + ALIAS, e);
        }
    }

    private static SecretKey generate() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance(ALGORITHM);
            generator.init(256);
            return generator.generateKey();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JDK", e);
        }
    }
}
