package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.ApiException;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/devices}: provision a device and read it back. */
@RestController
class DeviceController {

    static final String BASE = "/api/v1/devices";

    private final DeviceProvisioning provisioning;
    private final DeviceRepository devices;

    DeviceController(DeviceProvisioning provisioning, DeviceRepository devices) {
        this.provisioning = provisioning;
        this.devices = devices;
    }

    /** The request body; unknown fields are ignored. */
    record ProvisionRequest(String eui64, String template) {
    }

    @PostMapping(path = BASE, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DeviceView> provision(@RequestBody ProvisionRequest request) {
        DeviceProvisioning.Outcome outcome = provisioning.provision(request.eui64(), request.template());
        Device device = outcome.device();
        DeviceView view = DeviceView.of(device, devices.activeCredentials(device.id()));
        if (!outcome.created()) {
            return ResponseEntity.ok(view);
        }
        return ResponseEntity.created(URI.create(view.links().get("self"))).body(view);
    }

    @GetMapping(path = BASE + "/{eui64}", produces = MediaType.APPLICATION_JSON_VALUE)
    DeviceView device(@PathVariable("eui64") String eui64Text) {
        Eui64 eui64 = DeviceProvisioning.parseEui64(eui64Text, "eui64");
        Device device = devices.findByEui64(eui64)
                .orElseThrow(() -> ApiException.notFound("No device " + eui64 + " is provisioned"));
        return DeviceView.of(device, devices.activeCredentials(device.id()));
    }
}
