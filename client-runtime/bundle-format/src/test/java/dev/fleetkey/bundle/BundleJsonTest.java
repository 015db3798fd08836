package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.upokecenter.cbor.CBORObject;
import dev.fleetkey.bundle.testing.TestBundles;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class BundleJsonTest {

    private final String psk = HexFormat.of().formatHex(TestBundles.GOOD_PSK);

    @Test
    void secretsAreRedactedUnlessRevealed() {
        BundlePayload payload = TestBundles.pskDevicePayload(5);
        assertThat(BundleJson.render(payload, false)).doesNotContain(psk).contains(BundleJson.REDACTED);
        assertThat(BundleJson.render(payload, true)).contains(psk).doesNotContain(BundleJson.REDACTED);
    }

    @Test
    void privateKeysAreRedactedUnlessRevealed() {
        BundlePayload payload = TestBundles.x509DevicePayload(5);
        String key = Base64.getEncoder().encodeToString(
                ((ServerCredentials.Certificates) payload.servers().get(0).credentials()).clientPrivateKey());
        assertThat(BundleJson.render(payload, false)).doesNotContain(key);
        assertThat(BundleJson.render(payload, true)).contains(key);
    }

    @Test
    void outputIsJsonWithCertificateDetails() {
        String json = BundleJson.render(TestBundles.x509DevicePayload(5), false);
        CBORObject parsed = CBORObject.FromJSONString(json);
        CBORObject leaf = parsed.get("servers").get(0).get("credentials").get("clientChain").get(0);
        assertThat(leaf.get("subject").AsString()).isEqualTo("CN=" + TestBundles.GOOD_DEVICE.canonical());
        assertThat(leaf.get("spkiSha256").AsString()).hasSize(64);
        assertThat(parsed.get("device").AsString()).isEqualTo(TestBundles.GOOD_DEVICE.canonical());
    }

    @Test
    void keysAppearAsSpkiFingerprints() {
        CBORObject parsed = CBORObject.FromJSONString(BundleJson.render(TestBundles.rpkDevicePayload(5), true));
        CBORObject credentials = parsed.get("servers").get(0).get("credentials");
        assertThat(credentials.get("publicKey").get("spkiSha256").AsString()).hasSize(64);
        assertThat(credentials.get("serverPublicKeys").get(0).get("spkiSha256").AsString()).hasSize(64);
    }
}
