package dev.fleetkey.service.audit;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/audit/verify}: checks the audit hash chain and names the first broken link. */
@RestController
class AuditController {

    private final AuditChain chain;

    AuditController(AuditChain chain) {
        this.chain = chain;
    }

    @GetMapping(path = "/api/v1/audit/verify", produces = MediaType.APPLICATION_JSON_VALUE)
    ChainVerification verify() {
        return chain.verify();
    }
}
