package dev.fleetkey.service.devices;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.api.Idempotency;
import dev.fleetkey.service.api.StoredAnswer;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.system.InvalidFieldException;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/devices} for every caller: provision a device, read it back, rotate and revoke its credentials. A
 * station provisions within its {@link CallerRules}, idempotently, and is answered with a {@link DeviceRecord} or
 * directly with the bundle; it reads only its own devices. A user is answered with a {@link DeviceView}, except for
 * a POST with {@code Idempotency-Key}, which is answered like a station's, without the station rules.
 */
@RestController
class DeviceController {

    static final String BASE = "/api/v1/devices";
    static final Duration DEFAULT_OVERLAP = CredentialRotation.DEFAULT_OVERLAP;
    static final MediaType BUNDLE_TYPE = MediaType.parseMediaType("application/vnd.fleetkey.bundle+cms");

    private final DeviceProvisioning provisioning;
    private final CredentialRotation rotation;
    private final DeviceRepository devices;
    private final ProductionLineFacts lineFacts;
    private final DeviceBundles bundles;
    private final Idempotency idempotency;
    private final JsonMapper json;

    DeviceController(DeviceProvisioning provisioning, CredentialRotation rotation, DeviceRepository devices,
            ProductionLineFacts lineFacts, DeviceBundles bundles, Idempotency idempotency, JsonMapper json) {
        this.provisioning = provisioning;
        this.rotation = rotation;
        this.devices = devices;
        this.lineFacts = lineFacts;
        this.bundles = bundles;
        this.idempotency = idempotency;
        this.json = json;
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

    @io.swagger.v3.oas.annotations.Operation(summary = "Provision one device", responses = {
        @ApiResponse(responseCode = "201", description = "Provisioned. A user gets the DeviceView; a station, or a user"
                + " sending Idempotency-Key, gets the DeviceRecord (who provisioned it, its end-of-line detail), or the"
                + " signed bundle when it asked for it with Accept: application/vnd.fleetkey.bundle+cms", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(oneOf = {DeviceView.class,
                            DeviceRecord.class})),
                    @Content(mediaType = "application/vnd.fleetkey.bundle+cms", schema = @Schema(type = "string",
                            format = "binary"))}),
        @ApiResponse(responseCode = "200", description = "The device existed and its template's policy is"
                + " return-existing: the existing device, in the same forms as 201", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(oneOf = {DeviceView.class,
                            DeviceRecord.class})),
                    @Content(mediaType = "application/vnd.fleetkey.bundle+cms", schema = @Schema(type = "string",
                            format = "binary"))})})
    @PostMapping(path = BASE, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> provision(@Parameter(hidden = true) Caller caller, @RequestBody ProvisionRequest request,
            @Parameter(hidden = true) @RequestHeader(name = Idempotency.HEADER, required = false) String key,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept)
            throws HttpMediaTypeNotAcceptableException {
        if (caller instanceof Caller.Station || key != null) {
            return lineProvision(caller, request, key, accept);
        }
        requireJsonAcceptable(accept);
        DeviceProvisioning.Outcome outcome = provisioning.provision(request.eui64(), request.template(),
                new DeviceKeySubmission(request.publicKey(), request.csr()));
        DeviceView view = view(outcome.device());
        if (!outcome.created()) {
            return ResponseEntity.ok(view);
        }
        return ResponseEntity.created(URI.create(view.links().get("self"))).body(view);
    }

    /**
     * Provisions for a station within its rules, or for a user with {@code Idempotency-Key}: idempotent, answered with
     * the {@link DeviceRecord} or the bundle.
     */
    private ResponseEntity<byte[]> lineProvision(Caller caller, ProvisionRequest request, String key, String accept) {
        boolean bundleWanted = accept != null && accept.contains(BUNDLE_TYPE.toString());
        String fingerprint = "POST /api/v1/devices " + json.writeValueAsString(request) + " bundle=" + bundleWanted;
        return idempotency.execute(caller.idempotencyScope(), key, fingerprint, () -> {
            DeviceProvisioning.Outcome outcome = provisioning.provision(caller, request.eui64(), request.template(),
                    new DeviceKeySubmission(request.publicKey(), request.csr()));
            Device device = outcome.device();
            int status = outcome.created() ? HttpStatus.CREATED.value() : HttpStatus.OK.value();
            String self = BASE + "/" + device.eui64().canonical();
            if (bundleWanted) {
                return StoredAnswer.of(status, BUNDLE_TYPE, self, bundles.signedFor(caller, device));
            }
            return StoredAnswer.of(status, MediaType.APPLICATION_JSON, self, json.writeValueAsBytes(record(device)));
        }).toResponse();
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "Read one device", responses = @ApiResponse(responseCode = "200",
            description = "A user (administrator, operator or auditor) gets the DeviceView of any device; a station gets"
                    + " the DeviceRecord of one of its own"
                    + " devices (another station's answers 404 like an unknown one)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(oneOf = {DeviceView.class,
                    DeviceRecord.class}))))
    @GetMapping(path = BASE + "/{eui64}", produces = MediaType.APPLICATION_JSON_VALUE)
    Object device(@Parameter(hidden = true) Caller caller, @PathVariable("eui64") String eui64Text) {
        if (caller instanceof Caller.Station) {
            return record(provisioning.visibleDevice(caller, eui64Text));
        }
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

    /** A user's plain POST answers only JSON: refuse any other Accept before provisioning anything. */
    private static void requireJsonAcceptable(String accept) throws HttpMediaTypeNotAcceptableException {
        if (accept == null || accept.isBlank()) {
            return;
        }
        try {
            if (MediaType.parseMediaTypes(accept).stream().anyMatch(m -> m.isCompatibleWith(MediaType.APPLICATION_JSON))) {
                return;
            }
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotAcceptableException(e.getMessage());
        }
        throw new HttpMediaTypeNotAcceptableException(List.of(MediaType.APPLICATION_JSON));
    }

    private DeviceRecord record(Device device) {
        return DeviceRecord.of(device, devices.activeCredentials(device.id()), lineFacts.provisionedBy(device),
                lineFacts.endOfLineDetail(device));
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
