package dev.fleetkey.service.devices;

import dev.fleetkey.service.callers.Caller;
import java.util.Optional;

/**
 * The limits a caller works within on devices, beyond what its role allows: the station rules (allowed templates,
 * its own devices only, bundles sealed to its transport key), which the {@code stations} feature implements. A
 * {@link Caller.User} passes every rule and seals to nothing.
 */
public interface CallerRules {

    /**
     * Checks that {@code caller} may provision from template {@code templateId}.
     *
     * @throws dev.fleetkey.service.system.FleetkeyException naming the templates the caller may use, if not
     */
    void checkTemplate(Caller caller, String templateId);

    /** Whether {@code caller} may see and act on {@code device}, which exists. */
    boolean mayAccess(Caller caller, Device device);

    /** Records that {@code caller} made {@code device} just now, so it may act on it later. */
    void recordProvisioned(Caller caller, Device device);

    /** The P-256 SubjectPublicKeyInfo DER the caller's bundles are sealed to, if they are sealed. */
    Optional<byte[]> sealingKey(Caller caller);
}
