package dev.fleetkey.service.stations;

import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceCredential;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A device as a station sees it: identifiers, state, who provisioned it and its end-of-line detail; never
 * a key.
 */
record DeviceRecord(String eui64, String template, String state, Instant createdAt, String station, String endOfLineDetail,
        List<Credential> credentials, Map<String, String> links) {

    record Credential(String server, String mode, String pskIdentity) {
    }

    static DeviceRecord of(Device device, List<DeviceCredential> credentials, String station, String endOfLineDetail) {
        String self = "/api/v1/devices/" + device.eui64().canonical();
        return new DeviceRecord(device.eui64().canonical(), device.templateReference(), device.state().name(),
                device.createdAt(), station, endOfLineDetail,
                credentials.stream()
                        .map(c -> new Credential(c.serverName(), c.mode().name().toLowerCase(Locale.ROOT), c.pskIdentityHex()))
                        .toList(),
                Map.of("self", self, "bundle", self + "/bundle", "eol", self + "/eol"));
    }
}
