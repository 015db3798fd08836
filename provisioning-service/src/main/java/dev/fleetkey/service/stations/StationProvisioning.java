package dev.fleetkey.service.stations;

import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceProvisioning;
import dev.fleetkey.service.devices.DeviceRecord;
import dev.fleetkey.service.devices.ProductionLineFacts;
import dev.fleetkey.service.devices.DeviceRepository;
import dev.fleetkey.service.system.StateConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Station work on devices beyond provisioning (which {@link DeviceProvisioning} does within
 * {@link StationCallerRules}): end-of-line reports, and the device as the station API shows it.
 */
@Service
public class StationProvisioning implements ProductionLineFacts {

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

    @Override
    public String provisionedBy(Device device) {
        return stations.provisioningStation(device.id()).flatMap(stations::find).map(Station::name).orElse(null);
    }

    @Override
    public String endOfLineDetail(Device device) {
        return stations.endOfLineDetail(device.id()).orElse(null);
    }

    /**
     * Records the end-of-line check: provisioned (or failed, after rework) becomes verified or failed.
     *
     * @throws StateConflictException {@code wrong-state} for a verified or revoked device
     */
    @Transactional
    public Device reportEndOfLine(Caller caller, String eui64Text, EndOfLine result, String detail) {
        Device device = provisioning.visibleDevice(caller, eui64Text);
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
        return provisioning.visibleDevice(caller, device.eui64().canonical());
    }

    /** The device as the station API shows it. */
    DeviceRecord record(Device device) {
        return DeviceRecord.of(device, devices.activeCredentials(device.id()), provisionedBy(device), endOfLineDetail(device));
    }
}
