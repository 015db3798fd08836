package dev.fleetkey.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** When a checkpoint is due, and which settings are refused. */
class CheckpointScheduleTest {

    private static final Instant LAST = Instant.parse("2026-12-03T07:00:00Z");
    private static final CheckpointSchedule.Policy POLICY =
            new CheckpointSchedule.Policy(100, Duration.ofMinutes(10), Duration.ofSeconds(5));

    @ParameterizedTest(name = "head {0}, covered {1}, {2}s after the last: due {3}")
    @CsvSource({
            "500, 500, 3600, false",  // nothing new, however long ago
            "599, 500,   60, false",  // 99 new entries, 1 minute
            "600, 500,   60, true",   // 100 new entries
            "501, 500,  599, false",  // 1 new entry, just under the interval
            "501, 500,  600, true",   // 1 new entry, the interval has passed
            "400, 500, 3600, false",  // head behind the checkpoint: a cut chain is never signed by the timer
    })
    void aCheckpointIsDueAfterEnoughEntriesOrTimeWithSomethingNew(long head, long covered, long secondsLater,
            boolean due) {
        assertThat(POLICY.due(head, covered, LAST, LAST.plusSeconds(secondsLater))).isEqualTo(due);
    }

    @ParameterizedTest(name = "{0} entries, every {1}, looked at every {2}")
    @CsvSource({
            "0, PT10M, PT5S, fleetkey.audit.checkpoint.entries is 0",
            "100, PT0.5S, PT0.1S, fleetkey.audit.checkpoint.interval is PT0.5S",
            "100, PT10M, PT0.01S, fleetkey.audit.checkpoint.check-every is PT0.01S",
            "100, PT10S, PT20S, at most the interval (PT10S)",
    })
    void badSettingsAreRefusedNamingTheValue(long entries, Duration interval, Duration checkEvery, String message) {
        assertThatThrownBy(() -> new CheckpointSchedule.Policy(entries, interval, checkEvery))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theScheduleIsReadFromFleetkeyAuditCheckpointWithTheDocumentedDefaults() {
        Binder settings = new Binder(new MapConfigurationPropertySource(Map.of(
                "fleetkey.audit.checkpoint.entries", "50", "fleetkey.audit.checkpoint.interval", "1h",
                "fleetkey.audit.checkpoint.check-every", "30s")));
        assertThat(settings.bindOrCreate("fleetkey.audit.checkpoint", CheckpointSchedule.Policy.class))
                .isEqualTo(new CheckpointSchedule.Policy(50, Duration.ofHours(1), Duration.ofSeconds(30)));
        assertThat(new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("fleetkey.audit.checkpoint", CheckpointSchedule.Policy.class)).isEqualTo(POLICY);
    }

    @Test
    void aBadSettingStopsTheBindingNamingTheValue() {
        Binder settings = new Binder(new MapConfigurationPropertySource(Map.of("fleetkey.audit.checkpoint.entries", "0")));
        assertThatThrownBy(() -> settings.bindOrCreate("fleetkey.audit.checkpoint", CheckpointSchedule.Policy.class))
                .rootCause().hasMessageContaining("fleetkey.audit.checkpoint.entries is 0");
    }
}
