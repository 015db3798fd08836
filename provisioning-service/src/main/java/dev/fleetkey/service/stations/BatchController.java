package dev.fleetkey.service.stations;

import dev.fleetkey.service.api.Idempotency;
import dev.fleetkey.service.api.StoredAnswer;
import dev.fleetkey.service.callers.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v1/batches}: many devices in one request, as a job with progress, results and a signed manifest. */
@RestController
@Tag(name = "Batches", description = "Batch provisioning for stations (and administrators)")
class BatchController {

    static final String BASE = "/api/v1/batches";
    static final MediaType MANIFEST_TYPE = MediaType.parseMediaType("application/vnd.fleetkey.batch-manifest+cms");
    static final MediaType BUNDLE_TYPE = MediaType.parseMediaType("application/vnd.fleetkey.bundle+cms");

    private final Batches batches;
    private final Idempotency idempotency;
    private final JsonMapper json;

    BatchController(Batches batches, Idempotency idempotency, JsonMapper json) {
        this.batches = batches;
        this.idempotency = idempotency;
        this.json = json;
    }

    record BatchRequest(String template, List<String> eui64s) {
    }

    /** Progress: {@code done} = items finished, of which {@code succeeded} and {@code failed}. */
    record BatchView(long id, String state, String template, int total, int done, int succeeded, int failed,
            Instant createdAt, Instant finishedAt, List<ItemView> items, Map<String, String> links) {
    }

    record ItemView(int index, String eui64, String result, String reason, String bundleSha256, String bundle) {
    }

    @Operation(summary = "Start a batch", description = "Answers 202 with a Location to poll. Each EUI-64 is provisioned on"
            + " its own: a bad one fails only its item, with the reason.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
                    value = "{\"template\":\"demo-sensor\",\"eui64s\":[\"00-11-22-FF-FE-00-00-01\",\"00-11-22-FF-FE-00-00-02\"]}"))))
    @PostMapping(path = BASE, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<byte[]> start(Caller caller, @RequestBody BatchRequest request,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        String fingerprint = "POST " + BASE + " " + json.writeValueAsString(request);
        return idempotency.execute(caller.idempotencyScope(), key, fingerprint, () -> {
            long id = batches.start(caller, request.template(), request.eui64s());
            BatchView view = view(caller, id, false);
            return StoredAnswer.of(202, MediaType.APPLICATION_JSON, BASE + "/" + id, json.writeValueAsBytes(view));
        }).toResponse();
    }

    @Operation(summary = "Progress and per-item results of a batch")
    @GetMapping(path = BASE + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    BatchView get(Caller caller, @PathVariable("id") long id) {
        return view(caller, id, true);
    }

    @Operation(summary = "The signed manifest of a finished batch", description = "CMS SignedData (DER) over canonical JSON"
            + " listing every device and the SHA-256 of its bundle; verify with the certificate at"
            + " /api/v1/trust/bundle-signer.pem. 409 while the batch runs.")
    @GetMapping(path = BASE + "/{id}/manifest")
    ResponseEntity<byte[]> manifest(Caller caller, @PathVariable("id") long id) {
        byte[] manifest = batches.manifest(caller, id);
        return ResponseEntity.ok().contentType(MANIFEST_TYPE).body(manifest);
    }

    @Operation(summary = "The bundle issued for one item of a batch")
    @GetMapping(path = BASE + "/{id}/items/{index}/bundle")
    ResponseEntity<byte[]> bundle(Caller caller, @PathVariable("id") long id, @PathVariable("index") int index) {
        byte[] bundle = batches.bundle(caller, id, index);
        return ResponseEntity.ok().contentType(BUNDLE_TYPE).cacheControl(CacheControl.noStore())
                .body(bundle);
    }

    private BatchView view(Caller caller, long id, boolean withItems) {
        BatchRepository.Batch b = batches.visible(caller, id);
        String self = BASE + "/" + id;
        List<ItemView> items = withItems ? batches.items(id).stream().map(i -> new ItemView(i.index(), i.eui64(),
                i.result().toLowerCase(Locale.ROOT), i.reason(),
                i.bundleSha256() == null ? null : HexFormat.of().formatHex(i.bundleSha256()),
                i.bundleSha256() == null ? null : self + "/items/" + i.index() + "/bundle")).toList() : List.of();
        return new BatchView(b.id(), b.state(), b.template(), b.total(), b.succeeded() + b.failed(), b.succeeded(), b.failed(),
                b.createdAt(), b.finishedAt(), items, Map.of("self", self, "manifest", self + "/manifest"));
    }
}
