package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.system.InvalidFieldException;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/devices}: provision a device, read it back, rotate and revoke its credentials. */
@RestController
class DeviceController {

    static final String BASE = "/api/v1/devices";
    static final Duration DEFAULT_OVERLAP = CredentialRotation.DEFAULT_OVERLAP;

    private final DeviceProvisioning provisioning;
    private final CredentialRotation rotation;
    private final DeviceRepository devices;

    DeviceController(DeviceProvisioning provisioning, CredentialRotation rotation, DeviceRepository devices) {
        this.provisioning = provisioning;
        this.rotation = rotation;
        this.devices = devices;
    }

    /**
     * The request body; unknown fields are ignored. {@code publicKey} (SPKI) or {@code csr} (PKCS#10), as PEM
     * or base64 DER, give a key made on the device for the template's rpk and x509 servers.
     */
    record ProvisionRequest(String eui64, String template, String publicKey, String csr) {
    }

    /** {@code overlap}: ISO-8601 duration the old credentials stay valid (default P7D). */
    record RotateRequest(String overlap, String publicKey, String csr) {
    }

    record RevokeRequest(String reason) {
    }

    @PostMapping(path = BASE, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DeviceView> provision(@RequestBody ProvisionRequest request) {
        DeviceProvisioning.Outcome outcome = provisioning.provision(request.eui64(), request.template(),
                new DeviceKeySubmission(request.publicKey(), request.csr()));
        DeviceView view = view(outcome.device());
        if (!outcome.created()) {
            return ResponseEntity.ok(view);
        }
        return ResponseEntity.created(URI.create(view.links().get("self"))).body(view);
    }

    @GetMapping(path = BASE + "/{eui64}", produces = MediaType.APPLICATION_JSON_VALUE)
    DeviceView device(@PathVariable("eui64") String eui64Text) {
        Eui64 eui64 = DeviceProvisioning.parseEui64(eui64Text, "eui64");
        return view(devices.findByEui64(eui64)
                .orElseThrow(() -> new DeviceNotFoundException(eui64)));
    }

    @PostMapping(path = BASE + "/{eui64}/revoke", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    DeviceView revoke(@PathVariable("eui64") String eui64Text, @RequestBody RevokeRequest request) {
        return view(rotation.revoke(DeviceProvisioning.parseEui64(eui64Text, "eui64"), request.reason()));
    }

    @PostMapping(path = BASE + "/{eui64}/rotate", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    DeviceView rotate(@PathVariable("eui64") String eui64Text, @RequestBody(required = false) RotateRequest request) {
        Eui64 eui64 = DeviceProvisioning.parseEui64(eui64Text, "eui64");
        RotateRequest body = request != null ? request : new RotateRequest(null, null, null);
        Duration overlap = overlap(body.overlap());
        Device device = devices.findByEui64(eui64)
                .orElseThrow(() -> new DeviceNotFoundException(eui64));
        DeviceKeySubmission submission = new DeviceKeySubmission(body.publicKey(), body.csr());
        var key = submission.present()
                ? provisioning.checkedKey(provisioning.findTemplate(device.templateReference()), submission, eui64) : null;
        try {
            return view(rotation.rotate(eui64, overlap, key));
        } catch (PublicKeyInUseException e) {
            throw e.inField(submission.field());
        }
    }

    private DeviceView view(Device device) {
        Device fresh = devices.findById(device.id()).orElse(device);
        return DeviceView.of(fresh, devices.allCredentials(device.id()));
    }

    private static Duration overlap(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_OVERLAP;
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException("overlap", "overlap '" + text.strip() + "' is not an ISO-8601 duration: "
                    + "write e.g. P7D (seven days), PT12H or PT0S (old credentials refused at once)");
        }
    }
}
