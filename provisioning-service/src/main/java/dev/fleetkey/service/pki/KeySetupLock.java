package dev.fleetkey.service.pki;

import dev.fleetkey.bundle.Sha256;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.fleetkey.service.system.StartupProblem;

/**
 * First-start key setup, one instance at a time, and the database's record of the hierarchy it belongs to
 * ({@code key_setup}, one row). Instances on one database lock the row ({@code SELECT ... FOR UPDATE}, PostgreSQL
 * and H2) around opening or creating keys, and re-read their key store once they hold the lock, so two instances
 * starting at the same moment on one token make one hierarchy: the second finds the first one's keys.
 *
 * <p>An instance whose key store does not hold the keys of the hierarchy the database records stops with a
 * {@link StartupProblem} that says what to configure, instead of making a second hierarchy.
 */
@Component
public class KeySetupLock {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    KeySetupLock(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
    }

    /** What the database records: SHA-256 (hex) of the device CA and bundle-signer certificates. */
    record Recorded(String deviceCaSha256, String bundleSignerSha256, String keyProvider) {
    }

    /** Runs {@code work} while holding the key setup lock, after re-reading {@code vault}. */
    public <T> T holding(KeyVault vault, Supplier<T> work) {
        return transactions.execute(status -> {
            lock();
            vault.refresh();
            return work.get();
        });
    }

    /**
     * Opens the hierarchy under the lock: creates it if the database records none, refuses to start if the vault
     * lacks the recorded one or holds another, and records it the first time.
     */
    public CertificateAuthorities openHierarchy(KeyVault vault, Supplier<CertificateAuthorities> openOrCreate) {
        return transactions.execute(status -> {
            Optional<Recorded> recorded = lock();
            vault.refresh();
            if (recorded.isPresent() && !vault.aliases().contains(CertificateAuthorities.DEVICE_CA_ALIAS)) {
                throw notInVault(vault, recorded.get());
            }
            CertificateAuthorities authorities = openOrCreate.get();
            String deviceCa = sha256(authorities.deviceCa().certificate());
            String signer = sha256(authorities.bundleSigner().certificate());
            if (recorded.isEmpty()) {
                record(authorities, vault);
            } else if (!recorded.get().deviceCaSha256().equals(deviceCa)
                    || !recorded.get().bundleSignerSha256().equals(signer)) {
                throw new StartupProblem("The key store (" + vault.kind() + ": " + vault.location() + ") holds a CA "
                        + "hierarchy (device CA SHA-256 " + deviceCa + ", bundle signer " + signer + ") other than the "
                        + "one this database belongs to (device CA " + recorded.get().deviceCaSha256() + ", bundle signer "
                        + recorded.get().bundleSignerSha256() + ", made with " + recorded.get().keyProvider() + " keys)",
                        action(), null);
            }
            return authorities;
        });
    }

    /** Records {@code authorities} as this database's hierarchy, e.g. after an import replaced it. */
    public void record(CertificateAuthorities authorities, KeyVault vault) {
        jdbc.sql("""
                UPDATE key_setup SET device_ca_sha256 = :deviceCa, bundle_signer_sha256 = :signer,
                       key_provider = :provider, recorded_at = :at WHERE id = 1""")
                .param("deviceCa", sha256(authorities.deviceCa().certificate()))
                .param("signer", sha256(authorities.bundleSigner().certificate()))
                .param("provider", vault.kind())
                .param("at", Timestamp.from(Instant.now()))
                .update();
    }

    private Optional<Recorded> lock() {
        return jdbc.sql("SELECT device_ca_sha256, bundle_signer_sha256, key_provider FROM key_setup WHERE id = 1 FOR UPDATE")
                .query((rs, n) -> new Recorded(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional().filter(r -> r.deviceCaSha256() != null);
    }

    private static StartupProblem notInVault(KeyVault vault, Recorded recorded) {
        return new StartupProblem("This database belongs to a CA hierarchy (device CA SHA-256 "
                + recorded.deviceCaSha256() + ", made with " + recorded.keyProvider() + " keys) whose keys are not "
                + "in this instance's key store (" + vault.kind() + ": " + vault.location() + ")", action(), null);
    }

    private static String action() {
        return "Give every instance on this database the key store that holds its keys: with "
                + "fleetkey.keys.provider=pkcs11, the same token (fleetkey.keys.pkcs11.library and slot, the PIN in "
                + "FLEETKEY_PKCS11_PIN); with pkcs12, the keystore.p12 backed up with this database (and its "
                + "FLEETKEY_KEYSTORE_PASSWORD). A new hierarchy needs a new database.";
    }

    static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(Sha256.digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("A CA certificate cannot be encoded", e);
        }
    }
}
