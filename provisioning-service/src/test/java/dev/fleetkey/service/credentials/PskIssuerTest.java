package dev.fleetkey.service.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;

class PskIssuerTest {

    private static final Eui64 DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-55");

    private final PskIssuer issuer = new PskIssuer(PskKeyGenerator.strong(),
            new PskIdentityGenerator(new SecureRandom()), PskIdentityRegistry.inMemory());

    @Test
    void tenThousandParallelIssuancesGiveTenThousandDistinctIdentitiesAndKeys() {
        Set<ByteBuffer> identities = ConcurrentHashMap.newKeySet();
        Set<ByteBuffer> keys = ConcurrentHashMap.newKeySet();

        IntStream.range(0, 10_000).parallel().forEach(i -> {
            PskCredential psk = issuer.issue(new Eui64(i), 16, PskIdentityScheme.defaultScheme());
            identities.add(ByteBuffer.wrap(psk.identity()));
            keys.add(ByteBuffer.wrap(psk.key()));
        });

        assertThat(identities).hasSize(10_000);
        assertThat(keys).hasSize(10_000);
    }

    @Test
    void parallelPatternIssuanceForDistinctDevicesGivesDistinctIdentities() {
        PskIdentityScheme pattern = new PskIdentityScheme.Eui64Pattern("dev-{eui64}");

        List<PskCredential> issued = IntStream.range(0, 10_000).parallel()
                .mapToObj(i -> issuer.issue(new Eui64(i), 16, pattern)).toList();

        assertThat(issued.stream().map(p -> ByteBuffer.wrap(p.identity())).distinct()).hasSize(10_000);
    }

    @Test
    void aPatternIdentityAlreadyInUseIsRefusedNamingTheIdentity() {
        PskIdentityScheme pattern = new PskIdentityScheme.Eui64Pattern("dev-{eui64}");
        issuer.issue(DEVICE, 16, pattern);

        assertThatThrownBy(() -> issuer.issue(DEVICE, 16, pattern)).isInstanceOf(PskIdentityInUseException.class)
                .hasMessageContaining("dev-001122fffe334455");
    }

    @Test
    void aRandomIdentityCollisionIsRetriedWithAFreshIdentity() {
        byte[][] sequence = {new byte[16], new byte[16], {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
        int[] call = {0};
        SecureRandom scripted = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(sequence[Math.min(call[0]++, 2)], 0, bytes, 0, bytes.length);
            }
        };
        PskIdentityRegistry registry = PskIdentityRegistry.inMemory();
        PskIssuer scriptedIssuer = new PskIssuer(PskKeyGenerator.strong(), new PskIdentityGenerator(scripted),
                registry);
        scriptedIssuer.issue(DEVICE, 16, PskIdentityScheme.defaultScheme());

        PskCredential second = scriptedIssuer.issue(Eui64.parse("001122fffe334456"), 16,
                PskIdentityScheme.defaultScheme());

        assertThat(second.identity()).isEqualTo(sequence[2]);
    }

    @Test
    void aDeviceCannotBeGivenTheSameDiversifiedKeyVersionTwice() {
        DiversifiedPskDeriver deriver = new DiversifiedPskDeriver(new byte[32]);
        issuer.issueDiversified(DEVICE, deriver, 1, 16);

        assertThat(issuer.issueDiversified(DEVICE, deriver, 2, 16).printableIdentity())
                .isEqualTo("v2:001122fffe334455");
        assertThatThrownBy(() -> issuer.issueDiversified(DEVICE, deriver, 1, 16))
                .isInstanceOf(PskIdentityInUseException.class).hasMessageContaining("v1:001122fffe334455");
    }
}
