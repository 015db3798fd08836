package dev.fleetkey.service.logins;

import dev.fleetkey.service.system.FleetkeyException;

/** An API token was used to make an API token; only a password login (or the tokens page) may make one. */
public final class TokenCannotMakeTokensException extends FleetkeyException {

    private static final long serialVersionUID = 1L;

    public TokenCannotMakeTokensException() {
        super("token-cannot-make-tokens", "Make API tokens with your password or on the API tokens page, not with another token");
    }
}
