package dev.fleetkey.service.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fleetkey.bundle.Eui64;
import dev.fleetkey.bundle.credentials.PskCredential;

class PskGenerationTest {

    private static final Eui64 DEVICE = Eui64.parse("00-11-22-FF-FE-33-44-55");

    private final PskKeyGenerator keys = PskKeyGenerator.strong();
    private final PskIdentityGenerator identities = new PskIdentityGenerator(new SecureRandom());

    @ParameterizedTest(name = "a {0}-byte key is generated")
    @ValueSource(ints = {16, 32, 64})
    void keysOfEveryAllowedLengthAreGenerated(int length) {
        byte[] first = keys.generate(length);

        assertThat(first).hasSize(length);
        assertThat(keys.generate(length)).isNotEqualTo(first);
    }

    @ParameterizedTest(name = "a {0}-byte key is refused")
    @ValueSource(ints = {0, 8, 15, 65, 128})
    void keysOutsideSixteenToSixtyFourBytesAreRefusedNamingTheRange(int length) {
        assertThatThrownBy(() -> keys.generate(length)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 to 64 bytes");
    }

    @Test
    void theDefaultIdentityIsSixteenRandomOpaqueBytes() {
        PskIdentityScheme scheme = PskIdentityScheme.defaultScheme();

        byte[] identity = identities.identityFor(DEVICE, scheme);

        assertThat(identity).hasSize(16);
        assertThat(identities.identityFor(DEVICE, scheme)).isNotEqualTo(identity);
    }

    @ParameterizedTest(name = "pattern {0} gives {1}")
    @CsvSource(delimiter = '|', value = {
        "{eui64}|001122fffe334455",
        "dev-{eui64}|dev-001122fffe334455",
        "{eui64-canonical}@acme|00-11-22-FF-FE-33-44-55@acme",
        "{eui64}/{eui64-canonical}|001122fffe334455/00-11-22-FF-FE-33-44-55"})
    void patternIdentitiesAreDerivedFromTheEui64(String pattern, String expected) {
        byte[] identity = identities.identityFor(DEVICE, new PskIdentityScheme.Eui64Pattern(pattern));

        assertThat(new String(identity, StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "pattern \"{0}\" is refused")
    @ValueSource(strings = {"", "device", "{EUI64}", "{eui}"})
    void aPatternWithoutTheEui64IsRefusedBecauseEveryDeviceWouldShareIt(String pattern) {
        assertThatThrownBy(() -> new PskIdentityScheme.Eui64Pattern(pattern))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{eui64}");
    }

    @ParameterizedTest(name = "random identity length {0} is refused")
    @ValueSource(ints = {0, 7, 65})
    void randomIdentityLengthsOutsideEightToSixtyFourAreRefused(int length) {
        assertThatThrownBy(() -> new PskIdentityScheme.Random(length))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 to 64 bytes");
    }

    @Test
    void aPskCredentialNeverPrintsItsKey() {
        byte[] key = new byte[16];
        key[0] = 0x5A;
        PskCredential psk = new PskCredential("dev-1".getBytes(StandardCharsets.US_ASCII), key);

        assertThat(psk.toString()).contains("dev-1").contains("hidden").doesNotContain("5a").doesNotContain("90");
        assertThat(new PskCredential(new byte[] {1, 2}, key).toString()).contains("0x0102");
    }

    @Test
    void aPskCredentialCopiesItsBytesDefensively() {
        byte[] key = new byte[16];
        PskCredential psk = new PskCredential(new byte[] {1}, key);
        key[0] = 1;
        psk.key()[1] = 1;

        assertThat(psk.key()).isEqualTo(new byte[16]);
    }
}
