package dev.fleetkey.service.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.service.pki.Pkcs12KeyVault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit key lives in the PKCS#12 key store: made once, stored after the switch point, the same after a restart. */
class AuditKeyTest {

    private static final char[] PASSPHRASE = "audit-key-test-passphrase".toCharArray();
    private static final Instant AT = Instant.parse("2026-12-03T07:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aNewKeyReachesTheKeyStoreOnlyWhenStoredAndLinksTheSameAfterARestart() {
        Path file = dir.resolve("keystore.p12");
        AuditKey first = new AuditKey(new Pkcs12KeyVault(file, PASSPHRASE));
        assertThat(first.isNew()).isTrue();
        assertThat(new Pkcs12KeyVault(file, PASSPHRASE).secretKey(AuditKey.ALIAS)).as("not stored yet").isEmpty();
        String link = AuditHashes.entryMac(first.newMac(), 1, AT, "alice", "a", "s", null, AuditHashes.GENESIS);

        first.store();
        AuditKey afterRestart = new AuditKey(new Pkcs12KeyVault(file, PASSPHRASE));

        assertThat(afterRestart.isNew()).isFalse();
        assertThat(AuditHashes.entryMac(afterRestart.newMac(), 1, AT, "alice", "a", "s", null, AuditHashes.GENESIS))
                .isEqualTo(link);
        AuditKey another = new AuditKey(new Pkcs12KeyVault(dir.resolve("other.p12"), PASSPHRASE));
        assertThat(AuditHashes.entryMac(another.newMac(), 1, AT, "alice", "a", "s", null, AuditHashes.GENESIS))
                .isNotEqualTo(link);
        assertThat(link.getBytes(StandardCharsets.US_ASCII)).hasSize(64);
    }
}
