package dev.fleetkey.service.stations;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.system.InvalidFieldException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/stations} (administrators): create, list, change, rotate the token of and revoke stations.
 * Creating and rotating answer the token once. These two are deliberately not replayable by
 * {@code Idempotency-Key}: a stored answer would keep the token, which must exist only as a hash; a retried
 * create meets the unique name instead (409).
 */
@RestController
@Tag(name = "Stations", description = "Manufacturing stations and their API tokens (administrators)")
class StationController {

    static final String BASE = "/api/v1/stations";

    private static final List<String> PATCHABLE = List.of("name", "allowedTemplates", "quotaPerMinute",
            "transportPublicKey", "enabled");

    private final StationService stations;
    private final JsonMapper json;

    StationController(StationService stations, JsonMapper json) {
        this.stations = stations;
        this.json = json;
    }

    /** A station as administrators see it; the transport key as base64 SPKI and its SHA-256. */
    record StationView(long id, String name, List<String> allowedTemplates, int quotaPerMinute, String transportPublicKey,
            String transportKeySha256, boolean enabled, boolean tokenActive, Instant createdAt, Instant tokenIssuedAt,
            Map<String, String> links) {

        static StationView of(Station s) {
            byte[] key = s.transportKey();
            return new StationView(s.id(), s.name(), s.allowedTemplates(), s.quotaPerMinute(),
                    key == null ? null : Base64.getEncoder().encodeToString(key), key == null ? null : Sha256.hex(key),
                    s.enabled(), s.tokenActive(), s.createdAt(), s.tokenIssuedAt(),
                    Map.of("self", BASE + "/" + s.id(), "token", BASE + "/" + s.id() + "/token"));
        }
    }

    /** The answer that carries a token: shown once, never again. */
    record StationTokenView(StationView station, String token, String tokenNotice) {
        static StationTokenView of(StationService.StationWithToken created) {
            return new StationTokenView(StationView.of(created.station()), created.token(),
                    "Store this token now: the service keeps only its hash and cannot show it again");
        }

        @Override
        public String toString() {
            return "StationTokenView[" + station + ", token redacted]";
        }
    }

    @Operation(summary = "Create a station", description = "Answers 201 with the station and its API token, shown only"
            + " this once. Send the token as `Authorization: Bearer fks_...` on station requests.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
                    value = "{\"name\":\"line-3-station-2\",\"allowedTemplates\":[\"demo-sensor\"],\"quotaPerMinute\":600}"))))
    @PostMapping(path = BASE, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<StationTokenView> create(@RequestBody StationService.StationDraft draft) {
        StationService.StationWithToken created = stations.create(draft);
        return ResponseEntity.created(URI.create(BASE + "/" + created.station().id())).body(StationTokenView.of(created));
    }

    @Operation(summary = "List stations")
    @GetMapping(path = BASE, produces = MediaType.APPLICATION_JSON_VALUE)
    List<StationView> list() {
        return stations.list().stream().map(StationView::of).toList();
    }

    @Operation(summary = "Read a station")
    @GetMapping(path = BASE + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    StationView get(@PathVariable("id") long id) {
        return StationView.of(stations.get(id));
    }

    @Operation(summary = "Change a station", description = "Fields left out stay as they are; `\"enabled\": false` disables"
            + " the station, `\"transportPublicKey\": \"\"` removes its transport key.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
                    value = "{\"quotaPerMinute\":1200,\"enabled\":true}"))))
    @PatchMapping(path = BASE + "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    StationView update(@PathVariable("id") long id, @RequestBody JsonNode body) {
        return StationView.of(stations.update(id, changes(body)));
    }

    /**
     * PATCH is strict where POST bodies ignore extra fields: a misspelt field would otherwise change
     * nothing and still answer 200.
     */
    private StationService.StationChanges changes(JsonNode body) {
        if (!body.isObject() || body.isEmpty()) {
            throw new InvalidFieldException("body", "Send a JSON object with at least one of " + PATCHABLE);
        }
        for (String field : body.propertyNames()) {
            if (!PATCHABLE.contains(field)) {
                throw new InvalidFieldException(field, "Unknown field '" + abbreviate(field) + "': a station can change "
                        + PATCHABLE);
            }
        }
        try {
            return json.treeToValue(body, StationService.StationChanges.class);
        } catch (JacksonException e) {
            String field = e instanceof DatabindException bind && !bind.getPath().isEmpty()
                    && bind.getPath().get(0).getPropertyName() != null ? bind.getPath().get(0).getPropertyName() : "body";
            throw new InvalidFieldException(field, "The field '" + field + "' has the wrong type: name and transportPublicKey"
                    + " are strings, allowedTemplates an array of strings, quotaPerMinute a whole number, enabled true or false");
        }
    }

    private static String abbreviate(String s) {
        String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    @Operation(summary = "Issue a new token", description = "The old token stops working at once; the new one is shown once.")
    @PostMapping(path = BASE + "/{id}/token", produces = MediaType.APPLICATION_JSON_VALUE)
    StationTokenView rotateToken(@PathVariable("id") long id) {
        return StationTokenView.of(stations.rotateToken(id));
    }

    @Operation(summary = "Revoke a station", description = "Revokes its token and disables it; its devices stay."
            + " Re-enable with PATCH and a new token.")
    @DeleteMapping(path = BASE + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    StationView revoke(@PathVariable("id") long id) {
        return StationView.of(stations.revoke(id));
    }
}
