package dev.fleetkey.service.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The canonical form behind each entry's link, unkeyed (SHA-256) and keyed (HMAC-SHA256). */
class AuditHashesTest {

    private static final Instant AT = Instant.parse("2026-11-26T06:00:00.123456789Z");

    @Test
    void everyFieldChangesTheHash() {
        String base = AuditHashes.entryHash(1, AT, "alice", "a", "s", "r", AuditHashes.GENESIS);
        assertThat(AuditHashes.entryHash(2, AT, "alice", "a", "s", "r", AuditHashes.GENESIS)).isNotEqualTo(base);
        assertThat(AuditHashes.entryHash(1, AT.plusSeconds(1), "alice", "a", "s", "r", AuditHashes.GENESIS)).isNotEqualTo(base);
        assertThat(AuditHashes.entryHash(1, AT, "alicf", "a", "s", "r", AuditHashes.GENESIS)).isNotEqualTo(base);
        assertThat(AuditHashes.entryHash(1, AT, "alice", "b", "s", "r", AuditHashes.GENESIS)).isNotEqualTo(base);
        assertThat(AuditHashes.entryHash(1, AT, "alice", "a", "t", "r", AuditHashes.GENESIS)).isNotEqualTo(base);
        assertThat(AuditHashes.entryHash(1, AT, "alice", "a", "s", null, AuditHashes.GENESIS)).isNotEqualTo(base);
        assertThat(AuditHashes.entryHash(1, AT, "alice", "a", "s", "r", "1".repeat(64))).isNotEqualTo(base);
    }

    @Test
    void textMovedBetweenFieldsGivesAnotherHash() {
        assertThat(AuditHashes.entryHash(1, AT, "ab", "c", "s", null, AuditHashes.GENESIS))
                .isNotEqualTo(AuditHashes.entryHash(1, AT, "a", "bc", "s", null, AuditHashes.GENESIS));
        assertThat(AuditHashes.entryHash(1, AT, "a", "b", "-", null, AuditHashes.GENESIS))
                .isNotEqualTo(AuditHashes.entryHash(1, AT, "a", "b", "-", "-", AuditHashes.GENESIS));
    }

    @Test
    void timeIsHashedAtTheMicrosecondsTheDatabaseKeeps() {
        assertThat(AuditHashes.entryHash(1, AT, "a", "b", "c", null, AuditHashes.GENESIS))
                .isEqualTo(AuditHashes.entryHash(1, AuditHashes.storable(AT), "a", "b", "c", null, AuditHashes.GENESIS))
                .hasSize(64);
    }

    @Test
    void theKeyedLinkIsNeitherThePlainHashNorTheSameUnderAnotherKey() throws Exception {
        String keyed = AuditHashes.entryMac(mac(1), 1, AT, "alice", "a", "s", "r", AuditHashes.GENESIS);
        assertThat(keyed).hasSize(64)
                .isEqualTo(AuditHashes.entryMac(mac(1), 1, AT, "alice", "a", "s", "r", AuditHashes.GENESIS))
                .isNotEqualTo(AuditHashes.entryHash(1, AT, "alice", "a", "s", "r", AuditHashes.GENESIS))
                .isNotEqualTo(AuditHashes.entryMac(mac(2), 1, AT, "alice", "a", "s", "r", AuditHashes.GENESIS))
                .isNotEqualTo(AuditHashes.entryMac(mac(1), 1, AT, "mallory", "a", "s", "r", AuditHashes.GENESIS));
    }

    @Test
    void theStartOfTheKeyedChainBindsItsPositionAndTheLinkBeforeIt() throws Exception {
        String start = AuditHashes.keyedFromMac(mac(1), 26, "1".repeat(64));
        assertThat(AuditHashes.keyedFromMac(mac(1), 27, "1".repeat(64))).isNotEqualTo(start);
        assertThat(AuditHashes.keyedFromMac(mac(1), 26, "2".repeat(64))).isNotEqualTo(start);
        assertThat(AuditHashes.keyedFromMac(mac(2), 26, "1".repeat(64))).isNotEqualTo(start);
    }

    private static Mac mac(int keyByte) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) keyByte);
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
    }
}
