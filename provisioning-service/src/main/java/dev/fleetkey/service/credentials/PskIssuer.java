package dev.fleetkey.service.credentials;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;

/** Issues PSK credentials with identities that are unique across the fleet. */
public final class PskIssuer {

    private static final int MAX_RANDOM_ATTEMPTS = 8;

    private final PskKeyGenerator keys;
    private final PskIdentityGenerator identities;
    private final PskIdentityRegistry registry;

    public PskIssuer(PskKeyGenerator keys, PskIdentityGenerator identities, PskIdentityRegistry registry) {
        this.keys = keys;
        this.identities = identities;
        this.registry = registry;
    }

    /**
     * A random key of {@code keyLength} bytes with an identity made by {@code scheme} and claimed in the
     * registry.
     *
     * @throws PskIdentityInUseException if a pattern identity is already taken
     */
    public PskCredential issue(Eui64 device, int keyLength, PskIdentityScheme scheme) {
        int attempts = scheme instanceof PskIdentityScheme.Random ? MAX_RANDOM_ATTEMPTS : 1;
        byte[] identity = null;
        for (int i = 0; i < attempts; i++) {
            identity = identities.identityFor(device, scheme);
            if (registry.reserve(identity)) {
                return new PskCredential(identity, keys.generate(keyLength));
            }
        }
        if (attempts > 1) {
            // repeated collisions of random identities mean a broken RNG, not bad luck
            throw new IllegalStateException("No unused random PSK identity after " + attempts
                    + " attempts: check the random generator and the identity registry");
        }
        throw new PskIdentityInUseException(PskCredential.printable(identity));
    }

    /**
     * A diversified key and identity (see {@link DiversifiedPskDeriver}), claimed in the registry.
     *
     * @throws PskIdentityInUseException if the device already holds this key version
     */
    public PskCredential issueDiversified(Eui64 device, DiversifiedPskDeriver deriver, int keyVersion,
            int keyLength) {
        PskCredential credential = deriver.derive(device, keyVersion, keyLength);
        if (!registry.reserve(credential.identity())) {
            throw new PskIdentityInUseException(credential.printableIdentity());
        }
        return credential;
    }
}
