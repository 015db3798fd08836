package dev.fleetkey.service.stations;

import dev.fleetkey.service.api.Idempotency;
import dev.fleetkey.service.api.StoredAnswer;
import dev.fleetkey.service.callers.Caller;
import dev.fleetkey.service.system.InvalidFieldException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /api/v1/devices/{eui64}/eol}: the station's post-flash check, pass or fail. */
@RestController
@Tag(name = "Station devices")
class EndOfLineController {

    private static final int MAX_DETAIL = 512;

    private final StationProvisioning provisioning;
    private final Idempotency idempotency;
    private final JsonMapper json;

    EndOfLineController(StationProvisioning provisioning, Idempotency idempotency, JsonMapper json) {
        this.provisioning = provisioning;
        this.idempotency = idempotency;
        this.json = json;
    }

    record EndOfLineReport(String result, String detail) {
    }

    @Operation(summary = "Report the end-of-line check", description = "A provisioned (or failed, after rework) device becomes"
            + " VERIFIED on pass and FAILED on fail.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
                    value = "{\"result\":\"pass\",\"detail\":\"radio check 3/3, DTLS hello ok\"}"))))
    @PostMapping(path = "/api/v1/devices/{eui64}/eol", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> report(Caller caller, @PathVariable("eui64") String eui64, @RequestBody EndOfLineReport report,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        StationProvisioning.EndOfLine result = parseResult(report.result());
        String detail = report.detail();
        if (detail != null && (detail.length() > MAX_DETAIL || detail.chars().anyMatch(c -> c < 0x20 && c != '\t'))) {
            throw new InvalidFieldException("detail", "detail must be at most " + MAX_DETAIL + " characters without line"
                    + " breaks or control characters");
        }
        String fingerprint = "POST /api/v1/devices/" + eui64 + "/eol " + json.writeValueAsString(report);
        return idempotency.execute(caller.idempotencyScope(), key, fingerprint, () -> {
            var device = provisioning.reportEndOfLine(caller, eui64, result, detail);
            return StoredAnswer.of(200, MediaType.APPLICATION_JSON, null, json.writeValueAsBytes(provisioning.record(device)));
        }).toResponse();
    }

    private static StationProvisioning.EndOfLine parseResult(String result) {
        if (result != null) {
            switch (result.trim().toLowerCase(Locale.ROOT)) {
                case "pass":
                    return StationProvisioning.EndOfLine.PASS;
                case "fail":
                    return StationProvisioning.EndOfLine.FAIL;
                default:
                    break;
            }
        }
        throw new InvalidFieldException("result", "result must be \"pass\" or \"fail\"");
    }
}
