package dev.fleetkey.service.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The canonical form behind each entry hash. */
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
}
