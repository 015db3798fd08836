package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.upokecenter.cbor.CBORObject;
import dev.fleetkey.bundle.testing.TestBundles;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BundleCodecTest {

    @Test
    void everyModeAndKindRoundTrips() throws Exception {
        for (BundlePayload payload : new BundlePayload[] {TestBundles.pskDevicePayload(1),
                TestBundles.rpkDevicePayload(2), TestBundles.x509DevicePayload(3), TestBundles.fleetPayload(4)}) {
            assertThat(BundleCodec.decode(BundleCodec.encode(payload))).isEqualTo(payload);
        }
    }

    @Test
    void equalPayloadsEncodeToEqualBytes() {
        BundlePayload payload = TestBundles.pskDevicePayload(7);
        assertThat(BundleCodec.encode(payload)).isEqualTo(BundleCodec.encode(payload));
    }

    @Test
    void payloadStartsWithTheFormatVersion() {
        byte[] cbor = BundleCodec.encode(TestBundles.pskDevicePayload(1));
        // map header, then key 1 = format version, value 1
        assertThat(cbor[1]).isEqualTo((byte) 0x01);
        assertThat(cbor[2]).isEqualTo((byte) 0x01);
    }

    @Test
    void nonDeterministicEncodingIsMalformed() {
        // {2: 1, 1: 1}: keys out of order
        assertThatThrownBy(() -> BundleCodec.decode(HexFormat.of().parseHex("a202010101")))
                .isInstanceOf(MalformedBundleException.class).hasMessageContaining("deterministic");
    }

    @Test
    void unknownCriticalFieldIsUnsupported() {
        CBORObject m = CBORObject.DecodeFromBytes(BundleCodec.encode(TestBundles.pskDevicePayload(1)));
        m.Add(99, 1);
        assertThatThrownBy(() -> BundleCodec.decode(DeterministicCbor.encode(m)))
                .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("critical field 99");
    }

    @Test
    void negativeKeysAreExtensionsAReaderIgnores() throws Exception {
        BundlePayload payload = TestBundles.pskDevicePayload(1);
        CBORObject m = CBORObject.DecodeFromBytes(BundleCodec.encode(payload));
        m.Add(-1, "a note for newer readers");
        assertThat(BundleCodec.decode(DeterministicCbor.encode(m))).isEqualTo(payload);
    }

    @Test
    void aRenewalPeriodTravelsAsExtensionKeyMinusTwoInWholeSecondsAndRoundTrips() throws Exception {
        BundlePayload plain = TestBundles.pskDevicePayload(1);
        BundlePayload payload = new BundlePayload(plain.formatVersion(), plain.kind(), plain.bundleId(), plain.sequence(),
                plain.issuedAt(), plain.notAfter(), plain.device(), plain.template(), plain.servers(),
                plain.dtlsPolicy(), plain.secretsInClear(), plain.sealedSecrets(), java.time.Duration.ofDays(30));

        byte[] encoded = BundleCodec.encode(payload);

        assertThat(CBORObject.DecodeFromBytes(encoded).get(-2).AsInt64Value()).isEqualTo(30L * 24 * 3600);
        assertThat(BundleCodec.decode(encoded)).isEqualTo(payload);
        assertThat(BundleCodec.decode(encoded).renewalDue(java.time.Instant.parse("2030-01-31T00:00:00Z")))
                .contains(java.time.Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(BundleCodec.encode(plain)).as("no period, no key: the existing vectors keep their bytes")
                .isEqualTo(BundleCodec.encode(TestBundles.pskDevicePayload(1)));
        assertThat(CBORObject.DecodeFromBytes(BundleCodec.encode(plain)).ContainsKey(-2)).isFalse();
    }

    @Test
    void taggedMapKeyIsMalformedNotACrash() {
        // found by the mutation fuzz test (seed 1900673219225): key 6 wrapped in tag 15
        byte[] cbor = BundleCodec.encode(TestBundles.pskDevicePayload(1));
        CBORObject m = CBORObject.DecodeFromBytes(cbor);
        CBORObject server = m.get(9).get(0);
        CBORObject credentials = server.get(6);
        server.Remove(CBORObject.FromObject(6));
        server.Add(CBORObject.FromObjectAndTag(6, 15), credentials);
        byte[] mutant = m.EncodeToBytes();
        assertThatThrownBy(() -> BundleCodec.decode(mutant)).isInstanceOf(MalformedBundleException.class);
    }

    @Test
    void anotherFormatVersionIsUnsupported() {
        CBORObject m = CBORObject.DecodeFromBytes(BundleCodec.encode(TestBundles.pskDevicePayload(1)));
        m.Set(1, 2);
        assertThatThrownBy(() -> BundleCodec.decode(DeterministicCbor.encode(m)))
                .isInstanceOf(UnsupportedFormatException.class).hasMessageContaining("version 2");
    }

    @Test
    void missingFieldIsNamed() {
        CBORObject m = CBORObject.DecodeFromBytes(BundleCodec.encode(TestBundles.pskDevicePayload(1)));
        m.get(9).get(0).Remove(CBORObject.FromObject(2));
        assertThatThrownBy(() -> BundleCodec.decode(DeterministicCbor.encode(m)))
                .isInstanceOf(MalformedBundleException.class).hasMessageContaining("servers[0].uri is missing");
    }

    @Test
    void aTemplateThatIsNotIdAndVersionIsMalformed() {
        CBORObject m = CBORObject.DecodeFromBytes(BundleCodec.encode(TestBundles.pskDevicePayload(1)));
        m.Set(BundleCodec.TEMPLATE, CBORObject.NewArray().Add("demo-sensor").Add("1"));
        assertThatThrownBy(() -> BundleCodec.decode(DeterministicCbor.encode(m)))
                .isInstanceOf(MalformedBundleException.class).hasMessage("template must be [id, version]");
    }

    @Test
    void secretsNeverAppearInToString() {
        BundlePayload payload = TestBundles.pskDevicePayload(1);
        String text = payload.servers().toString() + payload;
        assertThat(text).doesNotContain(HexFormat.of().formatHex(TestBundles.GOOD_PSK)).contains("redacted");
    }

    @Test
    void profileDefaultDtlsPolicyIsOmittedAndAnExplicitDefaultRefused() {
        CBORObject m = CBORObject.DecodeFromBytes(BundleCodec.encode(TestBundles.pskDevicePayload(1)));
        assertThat(m.ContainsKey(BundleCodec.DTLS)).isFalse();
        m.Add(BundleCodec.DTLS, CBORObject.NewMap().Add(1, 9000).Add(2, true).Add(3, false));
        assertThatThrownBy(() -> BundleCodec.decode(DeterministicCbor.encode(m)))
                .isInstanceOf(MalformedBundleException.class).hasMessageContaining("must then be omitted");
    }

    @Test
    void deviceBundleWithClearSecretsButNoFlagIsRefused() {
        CBORObject m = CBORObject.DecodeFromBytes(BundleCodec.encode(TestBundles.pskDevicePayload(1)));
        m.Remove(CBORObject.FromObject(BundleCodec.SECRETS_IN_CLEAR));
        assertThatThrownBy(() -> BundleCodec.decode(DeterministicCbor.encode(m)))
                .isInstanceOf(ClearSecretsException.class).hasMessageContaining("secrets-in-clear");
    }
}
