package dev.fleetkey.service.firmware;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Admin API for release tokens (the {@code /api/**} chain requires an admin). */
@RestController
class ReleaseTokenController {

    private final ReleaseTokens tokens;

    ReleaseTokenController(ReleaseTokens tokens) {
        this.tokens = tokens;
    }

    record CreateRequest(String name) {
    }

    /** Makes a token; the response is the only place its secret ever appears. */
    @PostMapping("/api/v1/release-tokens")
    ResponseEntity<Map<String, Object>> create(@RequestBody CreateRequest request) {
        ReleaseTokens.CreatedToken created = tokens.create(request == null ? null : request.name());
        return ResponseEntity.created(URI.create("/api/v1/release-tokens/" + created.id()))
                .header("Cache-Control", "no-store")
                .body(Map.of("id", created.id(), "name", created.name(), "token", created.token()));
    }

    @GetMapping("/api/v1/release-tokens")
    List<ReleaseTokens.TokenRecord> list() {
        return tokens.list();
    }

    @DeleteMapping("/api/v1/release-tokens/{id}")
    ResponseEntity<Void> revoke(@PathVariable("id") long id) {
        tokens.revoke(id);
        return ResponseEntity.noContent().build();
    }
}
