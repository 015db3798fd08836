package dev.fleetkey.service.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.devices.DeviceCredential.KeyOrigin;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A stored credential carries its mode's fields and no others, copied in and out. */
class CredentialMaterialTest {

    private static final byte[] IDENTITY = {'d', 'e', 'v', '-', '1'};
    private static final byte[] SPKI = {0x30, 0x59, 0x30, 0x13};
    private static final byte[] CERTIFICATE = {0x30, (byte) 0x82, 0x01, 0x0a};

    static Stream<Arguments> incompleteMaterial() {
        return Stream.of(
                Arguments.of("psk without identity", (Supplier<?>) () -> new CredentialMaterial.Psk(new byte[0])),
                Arguments.of("rpk without key", (Supplier<?>) () -> new CredentialMaterial.RawPublicKey(null, KeyOrigin.SERVICE)),
                Arguments.of("rpk without origin", (Supplier<?>) () -> new CredentialMaterial.RawPublicKey(SPKI, null)),
                Arguments.of("x509 without certificate",
                        (Supplier<?>) () -> new CredentialMaterial.Certificate(SPKI, null, "0a", KeyOrigin.DEVICE)),
                Arguments.of("x509 without key",
                        (Supplier<?>) () -> new CredentialMaterial.Certificate(new byte[0], CERTIFICATE, "0a", KeyOrigin.DEVICE)),
                Arguments.of("x509 without serial",
                        (Supplier<?>) () -> new CredentialMaterial.Certificate(SPKI, CERTIFICATE, null, KeyOrigin.DEVICE)));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("incompleteMaterial")
    void materialMissingAFieldOfItsModeIsRefused(String name, Supplier<?> make) {
        assertThatThrownBy(make::get).isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class);
    }

    @Test
    void eachModeReadsOnlyItsOwnFieldsThroughTheCredential() {
        DeviceCredential psk = credential(new CredentialMaterial.Psk(IDENTITY));
        DeviceCredential rpk = credential(new CredentialMaterial.RawPublicKey(SPKI, KeyOrigin.DEVICE));
        DeviceCredential x509 = credential(new CredentialMaterial.Certificate(SPKI, CERTIFICATE, "0a", KeyOrigin.SERVICE));

        assertThat(Stream.of(psk, rpk, x509).map(DeviceCredential::mode))
                .containsExactly(CredentialMode.PSK, CredentialMode.RAW_PUBLIC_KEY, CredentialMode.X509);
        assertThat(psk.pskIdentityHex()).isEqualTo("6465762d31");
        assertThat(psk.publicKey()).isNull();
        assertThat(psk.keyOrigin()).isNull();
        assertThat(rpk.pskIdentity()).isNull();
        assertThat(rpk.publicKeySha256Hex()).isEqualTo(HexFormat.of().formatHex(Sha256.digest(SPKI)));
        assertThat(rpk.certificate()).isNull();
        assertThat(x509.certificate()).isEqualTo(CERTIFICATE);
        assertThat(x509.certificateSerial()).isEqualTo("0a");
        assertThat(x509.keyOrigin()).isEqualTo(KeyOrigin.SERVICE);
    }

    @Test
    void materialCopiesItsBytesInAndOut() {
        byte[] identity = IDENTITY.clone();
        CredentialMaterial.Psk psk = new CredentialMaterial.Psk(identity);
        identity[0] = 'X';
        psk.identity()[1] = 'X';

        assertThat(psk.identity()).isEqualTo(IDENTITY);
        assertThat(credential(psk).toString()).contains("PSK").contains("6465762d31");
    }

    private static DeviceCredential credential(CredentialMaterial material) {
        return new DeviceCredential(1, 2, "main", material, null, Instant.EPOCH, null, null, null, null);
    }
}
