package dev.fleetkey.service.devices;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A device as a station sees it (and any caller of an idempotent provisioning request): identifiers, state, who
 * provisioned it and its end-of-line detail ({@link ProductionLineFacts}); never a key.
 */
public record DeviceRecord(String eui64, String template, String state, Instant createdAt, String station, String endOfLineDetail,
        List<Credential> credentials, Map<String, String> links) {

    public record Credential(String server, String mode, String pskIdentity) {
    }

    public static DeviceRecord of(Device device, List<DeviceCredential> credentials, String station, String endOfLineDetail) {
        String self = "/api/v1/devices/" + device.eui64().canonical();
        return new DeviceRecord(device.eui64().canonical(), device.templateReference(), device.state().name(),
                device.createdAt(), station, endOfLineDetail,
                credentials.stream()
                        .map(c -> new Credential(c.serverName(), c.mode().name().toLowerCase(Locale.ROOT), c.pskIdentityHex()))
                        .toList(),
                Map.of("self", self, "bundle", self + "/bundle", "eol", self + "/eol"));
    }
}
