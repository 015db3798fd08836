package dev.fleetkey.service.audit;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.service.audit.AuditChain;
import dev.fleetkey.service.audit.AuditCheckpoints;
import dev.fleetkey.service.audit.AuditEntries;
import dev.fleetkey.service.audit.AuditFilter;
import dev.fleetkey.service.web.PageController;
import dev.fleetkey.service.web.PageOf;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log with filters (actor, device, action, time in UTC), the chain check, the newest signed
 * checkpoint and the checkpoint file to download.
 */
@PageController
class AuditPageController {

    static final String VIEW = "audit/log";

    private final AuditEntries entries;
    private final AuditChain chain;
    private final AuditCheckpoints checkpoints;

    AuditPageController(AuditEntries entries, AuditChain chain, AuditCheckpoints checkpoints) {
        this.entries = entries;
        this.chain = chain;
        this.checkpoints = checkpoints;
    }

    @GetMapping("/audit")
    String log(@RequestParam(name = "actor", required = false) String actor,
            @RequestParam(name = "device", required = false) String device,
            @RequestParam(name = "action", required = false) String action,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "page", defaultValue = "0") int page, Model model) {
        Map<String, String> problems = new LinkedHashMap<>();
        String subject = null;
        if (device != null && !device.isBlank()) {
            try {
                subject = "device:" + Eui64.parse(device.trim()).canonical();
            } catch (IllegalArgumentException e) {
                problems.put("device", "Give the device's EUI-64, e.g. 00-11-22-FF-FE-33-44-55");
            }
        }
        Instant fromTime = time(from, "from", problems);
        Instant toTime = time(to, "to", problems);
        AuditFilter filter = new AuditFilter(actor, subject, action, fromTime, toTime);
        int shownPage = Math.max(0, page);
        PageOf<?> results = problems.isEmpty()
                ? new PageOf<>(entries.find(filter, PageOf.offset(shownPage, PageOf.DEFAULT_SIZE), PageOf.DEFAULT_SIZE),
                        shownPage, PageOf.DEFAULT_SIZE, entries.count(filter))
                : new PageOf<>(List.of(), 0, PageOf.DEFAULT_SIZE, 0);
        model.addAttribute("filter", Map.of("actor", blankIfNull(actor), "device", blankIfNull(device),
                "action", blankIfNull(action), "from", blankIfNull(from), "to", blankIfNull(to)));
        model.addAttribute("problems", problems);
        model.addAttribute("actions", entries.actions());
        model.addAttribute("results", results);
        model.addAttribute("newestCheckpoint", checkpoints.newest().orElse(null));
        return VIEW;
    }

    /** Read-only, so auditors may run it: walks the chain and shows the first broken link, if any. */
    @GetMapping("/audit/verify")
    String verify(Model model) {
        model.addAttribute("verification", chain.verify());
        return log(null, null, null, null, null, 0, model);
    }

    /** The signed checkpoints as the PEM file {@code GET /api/v1/audit/checkpoints} gives, for an auditor to keep. */
    @GetMapping("/audit/checkpoints.pem")
    ResponseEntity<String> checkpoints() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/x-pem-file"))
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("fleetkey-audit-checkpoints.pem").build().toString())
                .body(checkpoints.exportPem());
    }

    /** Times come from {@code datetime-local} inputs and are read as UTC, as the log shows them. */
    private static Instant time(String text, String field, Map<String, String> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            problems.put(field, "Give a time as 2026-11-26T06:30 (UTC)");
            return null;
        }
    }

    private static String blankIfNull(String s) {
        return s == null ? "" : s;
    }
}
