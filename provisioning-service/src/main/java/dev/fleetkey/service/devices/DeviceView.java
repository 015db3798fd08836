package dev.fleetkey.service.devices;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A device as the API shows it: identifiers and state, never a key. */
record DeviceView(String eui64, String template, String state, Instant createdAt, List<CredentialView> credentials,
        Map<String, String> links) {

    record CredentialView(String server, String mode, String pskIdentity) {
    }

    static DeviceView of(Device device, List<DeviceCredential> credentials) {
        String self = DeviceController.BASE + "/" + device.eui64().canonical();
        return new DeviceView(device.eui64().canonical(), device.templateReference(), device.state().name(),
                device.createdAt(),
                credentials.stream()
                        .map(c -> new CredentialView(c.serverName(), c.mode().toLowerCase(Locale.ROOT), c.pskIdentityHex()))
                        .toList(),
                Map.of("self", self, "bundle", self + "/bundle"));
    }
}
