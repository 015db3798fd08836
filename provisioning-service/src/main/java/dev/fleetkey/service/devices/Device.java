package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import java.time.Instant;

/** A provisioned device as stored; its credentials are separate ({@link DeviceCredential}). */
public record Device(long id, Eui64 eui64, String templateId, int templateVersion, State state, Instant createdAt) {

    /** Where a device is in its life. */
    public enum State { PROVISIONED, VERIFIED, FAILED, REVOKED }

    /** {@code id@version} of the template it was provisioned from. */
    public String templateReference() {
        return templateId + "@" + templateVersion;
    }
}
