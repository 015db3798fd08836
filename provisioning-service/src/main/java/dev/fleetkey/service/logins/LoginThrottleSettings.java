package dev.fleetkey.service.logins;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How failed password logins are throttled, under {@code fleetkey.login-throttle.*}. After {@code accountFailures}
 * failures for one user name, that name is locked for {@code accountLock}, doubling with every further failure up
 * to {@code accountMaxLock}; the same for one source address with its own values. Counts start over once the
 * last failure is older than {@code forgetAfter}. Checked once at start-up; errors name the bad value.
 *
 * @param accountFailures failures for one user name before it is locked
 * @param accountLock     the first lock of a user name
 * @param accountMaxLock  the longest lock of a user name (keep it short: an attacker can trigger it)
 * @param addressFailures failures from one address (any user names) before it is locked
 * @param addressLock     the first lock of an address
 * @param addressMaxLock  the longest lock of an address
 * @param forgetAfter     a failure older than this no longer counts
 */
@ConfigurationProperties("fleetkey.login-throttle")
public record LoginThrottleSettings(
        @DefaultValue("5") int accountFailures,
        @DefaultValue("15s") Duration accountLock,
        @DefaultValue("5m") Duration accountMaxLock,
        @DefaultValue("10") int addressFailures,
        @DefaultValue("1m") Duration addressLock,
        @DefaultValue("15m") Duration addressMaxLock,
        @DefaultValue("1h") Duration forgetAfter) {

    public LoginThrottleSettings {
        requireFailures("account-failures", accountFailures);
        requireFailures("address-failures", addressFailures);
        requireLocks("account", accountLock, accountMaxLock);
        requireLocks("address", addressLock, addressMaxLock);
        if (forgetAfter == null || forgetAfter.compareTo(accountMaxLock) < 0 || forgetAfter.compareTo(addressMaxLock) < 0) {
            throw new IllegalArgumentException("fleetkey.login-throttle.forget-after is " + forgetAfter
                    + ": make it at least as long as account-max-lock (" + accountMaxLock + ") and address-max-lock ("
                    + addressMaxLock + "), or a lock would outlive the failures that caused it");
        }
    }

    /** How long {@code failures} failures lock a user name; zero below the threshold. */
    Duration accountLockAfter(int failures) {
        return lockAfter(failures, accountFailures, accountLock, accountMaxLock);
    }

    /** How long {@code failures} failures lock an address; zero below the threshold. */
    Duration addressLockAfter(int failures) {
        return lockAfter(failures, addressFailures, addressLock, addressMaxLock);
    }

    private static Duration lockAfter(int failures, int threshold, Duration first, Duration max) {
        if (failures < threshold) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - threshold, 30);
        Duration lock = first.multipliedBy(1L << doublings);
        return lock.compareTo(max) > 0 ? max : lock;
    }

    private static void requireFailures(String name, int value) {
        if (value < 1 || value > 1000) {
            throw new IllegalArgumentException("fleetkey.login-throttle." + name + " is " + value
                    + ": use a whole number of failed logins from 1 to 1000");
        }
    }

    private static void requireLocks(String kind, Duration first, Duration max) {
        if (first == null || first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("fleetkey.login-throttle." + kind + "-lock is " + first
                    + ": use a positive duration such as 15s");
        }
        if (max == null || max.compareTo(first) < 0 || max.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("fleetkey.login-throttle." + kind + "-max-lock is " + max
                    + ": use a duration from " + kind + "-lock (" + first + ") up to 1d");
        }
    }
}
