package dev.fleetkey.service.credentials;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import dev.fleetkey.bundle.Eui64;

/** Makes PSK identities by a {@link PskIdentityScheme}. */
public final class PskIdentityGenerator {

    private final SecureRandom random;

    public PskIdentityGenerator(SecureRandom random) {
        this.random = random;
    }

    /** An identity for {@code device}; random schemes ignore the device. */
    public byte[] identityFor(Eui64 device, PskIdentityScheme scheme) {
        if (scheme instanceof PskIdentityScheme.Random) {
            byte[] identity = new byte[((PskIdentityScheme.Random) scheme).length()];
            random.nextBytes(identity);
            return identity;
        }
        if (scheme instanceof PskIdentityScheme.Eui64Bytes) {
            return device.toBytes();
        }
        String pattern = ((PskIdentityScheme.Eui64Pattern) scheme).pattern();
        return pattern.replace(PskIdentityScheme.Eui64Pattern.COMPACT, device.compact())
                .replace(PskIdentityScheme.Eui64Pattern.CANONICAL, device.canonical())
                .getBytes(StandardCharsets.UTF_8);
    }
}
