package dev.fleetkey.service.logins;

import dev.fleetkey.service.system.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Personal API tokens over the API. {@code /api/v1/users/me/tokens} is every user's own (any role); another
 * user's tokens, {@code /api/v1/users/{username}/tokens}, are for admins (the API chain's rules). A token is
 * made only by a password login: a token that could mint tokens would let a stolen one outlive its expiry.
 */
@RestController
@Tag(name = "API tokens", description = "Personal API tokens: Authorization: Bearer fku_... acts as their user")
class UserTokenController {

    private final UserTokens tokens;

    UserTokenController(UserTokens tokens) {
        this.tokens = tokens;
    }

    record CreateRequest(String name, Integer expiresInDays) {
    }

    /** A token as the API lists it; never the secret. */
    record TokenView(long id, String username, String name, String status, Instant createdAt, Instant expiresAt,
            Instant lastUsedAt, Instant revokedAt, String revokedBy) {

        static TokenView of(UserToken t, Instant now) {
            return new TokenView(t.id(), t.username(), t.name(), t.status(now), t.createdAt(), t.expiresAt(),
                    t.lastUsedAt(), t.revokedAt(), t.revokedBy());
        }
    }

    /** Makes a token; the response is the only place it ever appears. */
    @Operation(summary = "Make an API token", description = "Answers 201 with the token in `token`, shown only in this"
            + " answer (Fleetkey keeps its SHA-256). `expiresInDays`: 1-365, default 90. Needs a password login (HTTP"
            + " Basic): a token cannot make tokens (403).")
    @PostMapping("/api/v1/users/me/tokens")
    ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) CreateRequest request, Authentication caller) {
        if (UserTokenAuthentication.isToken(caller)) {
            throw new TokenCannotMakeTokensException();
        }
        UserTokens.Created created = tokens.create(caller.getName(), request == null ? null : request.name(),
                request == null ? null : request.expiresInDays());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", created.token().id());
        body.put("username", created.token().username());
        body.put("name", created.token().name());
        body.put("createdAt", created.token().createdAt());
        body.put("expiresAt", created.token().expiresAt());
        body.put("token", created.secret());
        return ResponseEntity.created(URI.create("/api/v1/users/me/tokens/" + created.token().id()))
                .header("Cache-Control", "no-store")
                .body(body);
    }

    @Operation(summary = "List your API tokens", description = "Never the tokens themselves.")
    @GetMapping("/api/v1/users/me/tokens")
    List<TokenView> mine(Authentication caller) {
        return view(tokens.of(caller.getName()));
    }

    @Operation(summary = "Revoke one of your API tokens", description = "It stops working at once.")
    @DeleteMapping("/api/v1/users/me/tokens/{id}")
    ResponseEntity<Void> revokeMine(@PathVariable("id") long id, Authentication caller) {
        tokens.revoke(id, caller.getName(), false);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "List a user's API tokens (administrators)")
    @GetMapping("/api/v1/users/{username}/tokens")
    List<TokenView> ofUser(@PathVariable("username") String username) {
        return view(tokens.of(username));
    }

    @Operation(summary = "Revoke a user's API token (administrators)")
    @DeleteMapping("/api/v1/users/{username}/tokens/{id}")
    ResponseEntity<Void> revokeOfUser(@PathVariable("username") String username, @PathVariable("id") long id,
            Authentication caller) {
        if (tokens.of(username).stream().noneMatch(t -> t.id() == id)) {
            throw new NotFoundException("User " + username + " has no API token " + id);
        }
        tokens.revoke(id, caller.getName(), true);
        return ResponseEntity.noContent().build();
    }

    private List<TokenView> view(List<UserToken> list) {
        Instant now = tokens.now();
        return list.stream().map(t -> TokenView.of(t, now)).toList();
    }
}
