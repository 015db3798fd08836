package dev.fleetkey.service.stations;

import dev.fleetkey.service.api.Idempotency;
import dev.fleetkey.service.api.StoredAnswer;
import dev.fleetkey.service.bundles.BundleIssuer;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.devices.CallerRules;
import dev.fleetkey.service.devices.Device;
import dev.fleetkey.service.devices.DeviceKeySubmission;
import dev.fleetkey.service.devices.DeviceProvisioning;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * The device paths as a station uses them (see {@link StationHandlerMapping}): provision within its
 * templates, idempotently, answered with the record or directly with the bundle; read and download only
 * its own devices. Bundles of a station with a transport key are sealed to it. An administrator's POST
 * with {@code Idempotency-Key} comes here too, with no station limits.
 */
@Component
@StationEndpoint
@ResponseBody
@Tag(name = "Station devices")
class StationDeviceController {

    static final MediaType BUNDLE_TYPE = MediaType.parseMediaType("application/vnd.fleetkey.bundle+cms");

    private final DeviceProvisioning provisioning;
    private final StationProvisioning stationDevices;
    private final CallerRules rules;
    private final StationBundleSource bundles;
    private final Idempotency idempotency;
    private final JsonMapper json;

    StationDeviceController(DeviceProvisioning provisioning, StationProvisioning stationDevices, CallerRules rules,
            StationBundleSource bundles, Idempotency idempotency, JsonMapper json) {
        this.provisioning = provisioning;
        this.stationDevices = stationDevices;
        this.rules = rules;
        this.bundles = bundles;
        this.idempotency = idempotency;
        this.json = json;
    }

    /**
     * The provisioning request; unknown fields are ignored. {@code publicKey} (SPKI) or {@code csr} (PKCS#10), as
     * PEM or base64 DER, give a key made on the device, so its private half never leaves the chip.
     */
    record ProvisionRequest(String eui64, String template, String publicKey, String csr) {
    }

    @Operation(summary = "Provision one device (station)")
    @PostMapping(path = "/api/v1/devices", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> provision(Caller caller, @RequestBody ProvisionRequest request,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        boolean bundleWanted = accept != null && accept.contains(BUNDLE_TYPE.toString());
        String fingerprint = "POST /api/v1/devices " + json.writeValueAsString(request) + " bundle=" + bundleWanted;
        return idempotency.execute(caller.idempotencyScope(), key, fingerprint, () -> {
            DeviceProvisioning.Outcome outcome = provisioning.provision(caller, request.eui64(), request.template(),
                    new DeviceKeySubmission(request.publicKey(), request.csr()));
            Device device = outcome.device();
            int status = outcome.created() ? HttpStatus.CREATED.value() : HttpStatus.OK.value();
            String self = "/api/v1/devices/" + device.eui64().canonical();
            if (bundleWanted) {
                BundleIssuer.IssuedBundle bundle = bundles.issue(device, rules.sealingKey(caller).orElse(null));
                return StoredAnswer.of(status, BUNDLE_TYPE, self, bundle.signed());
            }
            return StoredAnswer.of(status, MediaType.APPLICATION_JSON, self,
                    json.writeValueAsBytes(stationDevices.record(device)));
        }).toResponse();
    }

    @Operation(summary = "Read one of this station's devices")
    @GetMapping(path = "/api/v1/devices/{eui64}", produces = MediaType.APPLICATION_JSON_VALUE)
    DeviceRecord device(Caller caller, @PathVariable("eui64") String eui64) {
        return stationDevices.record(provisioning.visibleDevice(caller, eui64));
    }

    @Operation(summary = "Download the next bundle of one of this station's devices")
    @GetMapping("/api/v1/devices/{eui64}/bundle")
    ResponseEntity<byte[]> bundle(Caller caller, @PathVariable("eui64") String eui64Text) {
        Device device = provisioning.visibleDevice(caller, eui64Text);
        BundleIssuer.IssuedBundle bundle = bundles.issue(device, rules.sealingKey(caller).orElse(null));
        return ResponseEntity.ok().contentType(BUNDLE_TYPE).cacheControl(CacheControl.noStore())
                .header("Fleetkey-Bundle-Id", bundle.bundleIdHex())
                .header("Fleetkey-Bundle-Sequence", Long.toString(bundle.sequence()))
                .body(bundle.signed());
    }
}
