package dev.fleetkey.service.stations;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceExistsException;
import dev.fleetkey.service.devices.DeviceKeySubmission;
import dev.fleetkey.service.devices.DeviceNotFoundException;
import dev.fleetkey.service.devices.DeviceProvisioning;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.devices.PublicKeyInUseException;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.StateConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Station work on devices: provisioning within the station's allowed templates (through
 * {@link DeviceProvisioning}, recording which station made the device), access to its own devices only,
 * and end-of-line reports. A null station means an administrator, who may act on any device.
 */
@Service
public class StationProvisioning {

    private final DeviceProvisioning provisioning;
    private final DeviceRepository devices;
    private final StationRepository stations;
    private final AuditTrail audit;

    StationProvisioning(DeviceProvisioning provisioning, DeviceRepository devices, StationRepository stations, AuditTrail audit) {
        this.provisioning = provisioning;
        this.devices = devices;
        this.stations = stations;
        this.audit = audit;
    }

    /** The result of an end-of-line check, as the station reports it. */
    public enum EndOfLine { PASS, FAIL }

    /** Provisions with keys made by the service; see {@link #provision(Station, String, String, DeviceKeySubmission)}. */
    @Transactional
    public DeviceProvisioning.Outcome provision(Station station, String eui64Text, String template) {
        return provision(station, eui64Text, template, DeviceKeySubmission.NONE);
    }

    /**
     * Provisions {@code eui64Text} from {@code template} in the caller's transaction, with the public key or CSR
     * the device made (for the template's rpk and x509 servers) when {@code submitted} holds one.
     *
     * @throws TemplateNotAllowedException for a template the station may not use
     * @throws DeviceExistsException for a device another station or an administrator provisioned
     * @throws PublicKeyInUseException naming the device holding the key only if it is the station's own; and
     *     whatever {@link DeviceProvisioning#provision} throws
     */
    @Transactional
    public DeviceProvisioning.Outcome provision(Station station, String eui64Text, String template,
            DeviceKeySubmission submitted) {
        Eui64 eui64 = DeviceProvisioning.parseEui64(eui64Text, "eui64");
        if (station != null && template != null && !template.isBlank()) {
            String id = template.trim().split("@", 2)[0];
            if (!station.allows(id)) {
                throw new TemplateNotAllowedException(station, id);
            }
        }
        Optional<Device> existing = devices.findByEui64(eui64);
        if (station != null && existing.isPresent() && !ownedBy(existing.get(), station)) {
            throw new DeviceExistsException(eui64, false, "Device " + eui64 + " was provisioned by another station or an"
                    + " administrator; it keeps its identity. Check the EUI-64 on the label");
        }
        DeviceProvisioning.Outcome outcome;
        try {
            outcome = provisioning.provision(eui64, existing, template, submitted);
        } catch (PublicKeyInUseException e) {
            // which device holds a key is another station's business: name it only to its own station
            boolean mayKnow = station == null || e.holder().filter(holder -> ownedBy(holder, station)).isPresent();
            throw mayKnow ? e : e.withoutHolder();
        }
        // a device re-provisioned under policy replace keeps the station that first made it
        if (outcome.created() && station != null && existing.isEmpty()) {
            stations.recordProvisioned(outcome.device().id(), station.id());
        }
        return outcome;
    }

    /**
     * The device, if the caller may see it. Another station's device answers 404 like an unknown one, so a
     * station cannot probe which EUI-64s exist elsewhere.
     */
    public Device visibleDevice(Station station, String eui64Text) {
        Eui64 eui64 = DeviceProvisioning.parseEui64(eui64Text, "eui64");
        return devices.findByEui64(eui64).filter(d -> station == null || ownedBy(d, station))
                .orElseThrow(() -> new DeviceNotFoundException(eui64, "No device " + eui64 + " provisioned by "
                        + (station == null ? "anyone" : "station '" + station.name() + "'")));
    }

    /** Name of the station that provisioned {@code device}, or null. */
    public String provisionedBy(Device device) {
        return stations.provisioningStation(device.id()).flatMap(stations::find).map(Station::name).orElse(null);
    }

    public String endOfLineDetail(Device device) {
        return stations.endOfLineDetail(device.id()).orElse(null);
    }

    /**
     * Records the end-of-line check: provisioned (or failed, after rework) becomes verified or failed.
     *
     * @throws StateConflictException {@code wrong-state} for a verified or revoked device
     */
    @Transactional
    public Device reportEndOfLine(Station station, String eui64Text, EndOfLine result, String detail) {
        Device device = visibleDevice(station, eui64Text);
        Device.State newState = result == EndOfLine.PASS ? Device.State.VERIFIED : Device.State.FAILED;
        Instant now = Instant.now();
        boolean moved = devices.moveState(device.id(), newState,
                List.of(Device.State.PROVISIONED, Device.State.FAILED), now);
        if (moved) {
            stations.recordEndOfLineDetail(device.id(), detail, now);
        } else {
            throw new StateConflictException("wrong-state", "Device " + device.eui64() + " is " + device.state().name()
                    .toLowerCase(Locale.ROOT) + "; an end-of-line report applies only to provisioned or failed devices");
        }
        audit.record("device.eol-" + result.name().toLowerCase(Locale.ROOT), "device:" + device.eui64().canonical());
        return visibleDevice(station, device.eui64().canonical());
    }

    /** The device as the station API shows it. */
    DeviceRecord record(Device device) {
        return DeviceRecord.of(device, devices.activeCredentials(device.id()), provisionedBy(device), endOfLineDetail(device));
    }

    private boolean ownedBy(Device device, Station station) {
        return stations.provisioningStation(device.id()).map(id -> id == station.id()).orElse(false);
    }
}
