package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.fleetkey.device.CliFixtures.Run;

/** {@code checkin} argument checks that need no server. */
class CheckinCommandTest {

    @Test
    void topLevelUsageNamesTheCheckinCommand() {
        assertThat(CliFixtures.run().err()).contains("checkin");
    }

    @Test
    void firmwareVersionWithASpaceIsAUsageErrorNamingTheOption() {
        Run run = CliFixtures.run("checkin", "--bundle", "b", "--trust", "t", "--server", "fleetkey",
                "--firmware-version", "1 0");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--firmware-version must be 1..64 printable ASCII characters");
    }

    @Test
    void missingFirmwareVersionIsAUsageError() {
        Run run = CliFixtures.run("checkin", "--bundle", "b", "--trust", "t", "--server", "fleetkey");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--firmware-version");
    }
}
