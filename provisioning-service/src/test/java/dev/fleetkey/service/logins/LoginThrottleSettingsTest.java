package dev.fleetkey.service.logins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoginThrottleSettingsTest {

    private static final LoginThrottleSettings DEFAULTS = new LoginThrottleSettings(5, Duration.ofSeconds(15),
            Duration.ofMinutes(5), 10, Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1));

    @ParameterizedTest(name = "{0} failures lock a user name for {1} s and an address for {2} s")
    @CsvSource({
            "1,    0,   0",
            "4,    0,   0",
            "5,   15,   0",
            "6,   30,   0",
            "8,  120,   0",
            "9,  240,   0",
            "10, 300,  60",
            "11, 300, 120",
            "13, 300, 480",
            "14, 300, 900",
            "500, 300, 900"})
    void locksDoubleFromTheThresholdUpToTheirCap(int failures, long accountSeconds, long addressSeconds) {
        assertThat(DEFAULTS.accountLockAfter(failures)).isEqualTo(Duration.ofSeconds(accountSeconds));
        assertThat(DEFAULTS.addressLockAfter(failures)).isEqualTo(Duration.ofSeconds(addressSeconds));
    }

    @Test
    void aThresholdOfZeroIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new LoginThrottleSettings(0, Duration.ofSeconds(15), Duration.ofMinutes(5), 10,
                Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1)))
                .hasMessageContaining("fleetkey.login-throttle.account-failures is 0");
    }

    @Test
    void aCapBelowTheFirstLockIsRefusedNamingBoth() {
        assertThatThrownBy(() -> new LoginThrottleSettings(5, Duration.ofMinutes(2), Duration.ofMinutes(1), 10,
                Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofHours(1)))
                .hasMessageContaining("fleetkey.login-throttle.account-max-lock is PT1M")
                .hasMessageContaining("account-lock (PT2M)");
    }

    @Test
    void failuresForgottenBeforeTheLongestLockEndsAreRefused() {
        assertThatThrownBy(() -> new LoginThrottleSettings(5, Duration.ofSeconds(15), Duration.ofMinutes(5), 10,
                Duration.ofMinutes(1), Duration.ofMinutes(15), Duration.ofMinutes(10)))
                .hasMessageContaining("fleetkey.login-throttle.forget-after is PT10M");
    }
}
