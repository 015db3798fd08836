package dev.fleetkey.service.stations;

import dev.fleetkey.bundle.Sha256;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Station API tokens: {@code fks_} and 256 random bits (base64url). Only the SHA-256 of a token is stored.
 * A fast hash is enough here, unlike for passwords: with 2^256 possible tokens nobody can search the
 * preimage of a stolen hash, so a slow hash (Argon2) would only add ~50 ms to every station request, and
 * a deterministic hash lets the lookup use the unique index instead of trying every station.
 */
final class StationTokens {

    static final String PREFIX = "fks_";
    private static final int RANDOM_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private StationTokens() {
    }

    static String newToken() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the token's characters. */
    static String hash(String token) {
        return Sha256.hex(token);
    }

    /** A cheap shape check so junk never reaches the database: prefix and 43 base64url characters. */
    static boolean wellFormed(String token) {
        return token.length() == PREFIX.length() + 43 && token.startsWith(PREFIX)
                && token.substring(PREFIX.length()).chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }
}
