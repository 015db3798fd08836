package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.templates.DeviceTemplate;
import dev.fleetkey.service.templates.TemplateCatalog;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Revokes and rotates a device's credentials. Rotation gives the device new credentials and lets the old
 * ones work until an overlap deadline (so a device in the field can fetch its new bundle first); revocation
 * ends them at once. Each change is one transaction and is audited.
 */
@Service
public class CredentialRotation {

    /** Overlap used when the caller names none: a week lets a device in the field fetch its new bundle. */
    public static final Duration DEFAULT_OVERLAP = Duration.ofDays(7);

    /** Longest overlap accepted: beyond it old credentials would outlive any sensible roll-out. */
    public static final Duration MAX_OVERLAP = Duration.ofDays(365);
    static final int MAX_REASON_LENGTH = 256;

    private final DeviceRepository devices;
    private final TemplateCatalog templates;
    private final CredentialMinter minter;
    private final AuditTrail audit;

    CredentialRotation(DeviceRepository devices, TemplateCatalog templates, CredentialMinter minter, AuditTrail audit) {
        this.devices = devices;
        this.templates = templates;
        this.minter = minter;
        this.audit = audit;
    }

    /**
     * Revokes every credential of the device and marks it revoked; its credentials are refused from now on.
     *
     * @throws DeviceNotFoundException for an unknown device
     * @throws InvalidFieldException for a missing or overlong reason
     */
    @Transactional
    public Device revoke(Eui64 eui64, String reason) {
        String why = reason(reason);
        Device device = find(eui64);
        devices.lock(device.id());
        Instant now = now();
        devices.revokeAll(device.id(), why, now);
        devices.updateDevice(device.id(), device.templateId(), device.templateVersion(), Device.State.REVOKED, now);
        audit.record("device.revoked", "device:" + eui64.canonical() + " reason:" + why);
        return devices.findById(device.id()).orElseThrow();
    }

    /**
     * Issues new credentials from the device's template; the current ones stay usable until now +
     * {@code overlap}, then are refused.
     *
     * @throws DeviceNotFoundException unknown device
     * @throws DeviceRevokedException revoked device
     * @throws TemplateMissingException template no longer loaded
     */
    @Transactional
    public Device rotate(Eui64 eui64, Duration overlap, PublicKey deviceKey) {
        if (overlap.isNegative() || overlap.compareTo(MAX_OVERLAP) > 0) {
            throw new InvalidFieldException("overlap", "overlap must be an ISO-8601 duration from PT0S to P365D "
                    + "(got " + overlap + ")");
        }
        Device device = find(eui64);
        if (device.state() == Device.State.REVOKED) {
            throw new DeviceRevokedException(eui64, "Device " + eui64 + " is revoked; a revoked device gets no "
                    + "new credentials. Provision it again with a template whose reprovision-policy is replace");
        }
        DeviceTemplate template = templates.find(device.templateReference())
                .orElseThrow(() -> new TemplateMissingException(eui64, device.templateReference()));
        devices.lock(device.id());
        Instant now = now();
        devices.phaseOutCurrent(device.id(), now.plus(overlap));
        minter.mintAll(device, template, deviceKey, now);
        audit.record("device.rotated", "device:" + eui64.canonical() + " overlap:" + overlap
                + (deviceKey != null ? " key:device" : ""));
        return device;
    }

    /** Re-provisioning under policy {@code replace}: old credentials revoked, new ones from {@code template}. */
    Device replace(Device device, DeviceTemplate template, PublicKey deviceKey) {
        devices.lock(device.id());
        Instant now = now();
        devices.revokeAll(device.id(), "replaced by re-provisioning from " + template.reference(), now);
        devices.updateDevice(device.id(), template.id(), template.version(), Device.State.PROVISIONED, now);
        Device replaced = devices.findById(device.id()).orElseThrow();
        minter.mintAll(replaced, template, deviceKey, now);
        audit.record("device.replaced", "device:" + device.eui64().canonical() + " template:" + template.reference());
        return replaced;
    }

    private Device find(Eui64 eui64) {
        return devices.findByEui64(eui64)
                .orElseThrow(() -> new DeviceNotFoundException(eui64));
    }

    private static String reason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidFieldException("reason", "reason is missing: say why the device is revoked, e.g. "
                    + "\"key compromised\" or \"device scrapped\"");
        }
        String trimmed = reason.strip().replaceAll("\\p{Cntrl}", " ");
        if (trimmed.length() > MAX_REASON_LENGTH) {
            throw new InvalidFieldException("reason", "reason is " + trimmed.length() + " characters long; keep it "
                    + "under " + MAX_REASON_LENGTH);
        }
        return trimmed;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
