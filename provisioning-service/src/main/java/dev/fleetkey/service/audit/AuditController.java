package dev.fleetkey.service.audit;

import dev.fleetkey.service.system.InvalidFieldException;
import dev.fleetkey.service.system.StateConflictException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit chain check and its signed checkpoints:
 * <ul>
 * <li>{@code GET /api/v1/audit/verify}: checks the chain with the audit key and against the stored
 * checkpoints; names the first broken link.</li>
 * <li>{@code POST /api/v1/audit/verify} with a checkpoint file exported earlier: the same, and also against
 * the file's checkpoints, so entries cut together with the stored checkpoints are found too.</li>
 * <li>{@code GET /api/v1/audit/checkpoints}: every stored checkpoint as a PEM file (newest first) for an
 * auditor to keep outside the service and check offline with {@code openssl cms -verify}.</li>
 * <li>{@code POST /api/v1/audit/checkpoints}: signs a checkpoint of the current head now.</li>
 * </ul>
 */
@RestController
@Tag(name = "Audit", description = "The keyed audit chain, its signed checkpoints, and what a check proves (AUDIT.md)")
class AuditController {

    static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");
    static final String EXPORT_FILE = "fleetkey-audit-checkpoints.pem";

    private final AuditChain chain;
    private final AuditCheckpoints checkpoints;

    AuditController(AuditChain chain, AuditCheckpoints checkpoints) {
        this.chain = chain;
        this.checkpoints = checkpoints;
    }

    @Operation(summary = "Check the audit chain", description = "Every link with the audit key, the head, and every"
            + " stored signed checkpoint; names the first entry that does not fit.")
    @GetMapping(path = "/api/v1/audit/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ChainVerification verify() {
        return chain.verify();
    }

    @Operation(summary = "Check the audit chain against an exported checkpoint file", description = "The body is the"
            + " PEM file from GET /api/v1/audit/checkpoints; catches newest entries cut together with the stored"
            + " checkpoints. 400 if the file holds no checkpoint signed by this service.")
    @PostMapping(path = "/api/v1/audit/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ChainVerification verifyAgainst(@RequestBody(required = false) String exportedCheckpoints) {
        try {
            return checkpoints.verifyAgainst(exportedCheckpoints);
        } catch (InvalidCheckpointException e) {
            throw new InvalidFieldException("checkpoints", e.getMessage());
        }
    }

    @Operation(summary = "Export the signed checkpoints", description = "A PEM file of CMS SignedData blocks, newest first;"
            + " openssl cms -verify -inform PEM -in FILE -CAfile bundle-signer.pem checks the newest.")
    @GetMapping("/api/v1/audit/checkpoints")
    ResponseEntity<String> export() {
        return exportResponse(checkpoints.exportPem());
    }

    @Operation(summary = "Sign a checkpoint of the chain head now", description = "201 with the new checkpoint, 200 if"
            + " the newest already covers the head, 409 if the chain does not extend the newest checkpoint.")
    @PostMapping(path = "/api/v1/audit/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<AuditCheckpoint> sign() {
        try {
            AuditCheckpoints.Signed signed = checkpoints.create().orElseThrow(() -> new StateConflictException(
                    "audit-log-empty", "The audit log has no entry yet, so there is nothing to sign"));
            return ResponseEntity.status(signed.isNew() ? HttpStatus.CREATED : HttpStatus.OK).body(signed.checkpoint());
        } catch (ChainBrokenException e) {
            throw new StateConflictException("audit-chain-broken", e.getMessage());
        }
    }

    /** The export as a download, for the API and the audit page alike. */
    static ResponseEntity<String> exportResponse(String pem) {
        return ResponseEntity.ok()
                .contentType(PEM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(EXPORT_FILE).build().toString())
                .body(pem);
    }
}
