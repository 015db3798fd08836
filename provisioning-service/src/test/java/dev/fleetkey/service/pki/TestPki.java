package dev.fleetkey.service.pki;

import java.time.Clock;

/** A CA hierarchy generated in memory, shared by the PKI and credential tests. */
public final class TestPki {

    private static CertificateAuthorities shared;

    private TestPki() {
    }

    /** A fresh hierarchy in a fresh in-memory vault. */
    public static CertificateAuthorities create() {
        return CertificateAuthorities.openOrCreate(new InMemoryKeyVault(), P256Crypto.preferred(), serials(),
                Clock.systemUTC(), "Fleetkey Test");
    }

    /** One hierarchy for tests that only issue from it (creating CAs costs a few key generations). */
    public static synchronized CertificateAuthorities shared() {
        if (shared == null) {
            shared = create();
        }
        return shared;
    }

    public static SerialNumbers serials() {
        return new SerialNumbers(P256Crypto.preferred().random(), SerialRegistry.inMemory());
    }
}
