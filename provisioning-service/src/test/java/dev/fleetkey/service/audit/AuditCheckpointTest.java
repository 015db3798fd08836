package dev.fleetkey.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The signed body of a checkpoint: one canonical line of JSON, read back exactly. */
class AuditCheckpointTest {

    private static final AuditCheckpoint CHECKPOINT = new AuditCheckpoint(3, 125, "ab".repeat(32), 1,
            Instant.parse("2026-12-03T07:40:00.123456Z"));

    @Test
    void theBodyIsOneLineOfJsonWithAFixedKeyOrderAndReadsBack() throws Exception {
        assertThat(new String(CHECKPOINT.body(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"format\":\"fleetkey-audit-checkpoint-v1\",\"checkpoint\":3,\"chainSeq\":125,\"headMac\":\""
                        + "ab".repeat(32) + "\",\"keyedFromSeq\":1,\"signedAt\":\"2026-12-03T07:40:00.123456Z\"}\n");
        assertThat(AuditCheckpoint.parse(CHECKPOINT.body())).isEqualTo(CHECKPOINT);
    }

    @Test
    void aBodyInAnotherFormOrOfAnotherKindIsRefused() {
        String reordered = "{\"checkpoint\":3,\"format\":\"fleetkey-audit-checkpoint-v1\",\"chainSeq\":125,\"headMac\":\""
                + "ab".repeat(32) + "\",\"keyedFromSeq\":1,\"signedAt\":\"2026-12-03T07:40:00.123456Z\"}\n";
        assertThatThrownBy(() -> AuditCheckpoint.parse(reordered.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidCheckpointException.class).hasMessageContaining("canonical form");
        assertThatThrownBy(() -> AuditCheckpoint.parse("{\"format\":\"fleetkey-bundle\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidCheckpointException.class).hasMessageContaining("not a fleetkey-audit-checkpoint-v1 body");
        assertThatThrownBy(() -> AuditCheckpoint.parse(new byte[] {(byte) 0xA1, 0x01, 0x02}))
                .isInstanceOf(InvalidCheckpointException.class);
    }
}
