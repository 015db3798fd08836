package dev.fleetkey.bundle.testing;

import dev.fleetkey.bundle.BundleKind;
import dev.fleetkey.bundle.BundlePayload;
import dev.fleetkey.bundle.CipherSuite;
import dev.fleetkey.bundle.CredentialMode;
import dev.fleetkey.bundle.DtlsPolicy;
import dev.fleetkey.bundle.ServerCredentials;
import dev.fleetkey.bundle.ServerEntry;
import dev.fleetkey.bundle.TemplateRef;
import dev.fleetkey.bundle.update.UpdatePackager;
import java.net.URI;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fleet bundles and update packages for tests, signed by {@link TestBundles#SIGNER}. */
public final class TestReleases {

    public static final String PRODUCT_LINE = TestBundles.GOOD_TEMPLATE.id();
    public static final String HARDWARE = "rev-b";
    /** A fixed "now" for reproducible packages: whole seconds, a minute ago. */
    public static final Instant ISSUED = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);

    private TestReleases() {
    }

    /** A certificate server of a fleet bundle: where it is and the anchors its chain may end at. */
    public static ServerEntry x509Server(String name, URI uri, String host, X509Certificate... anchors) {
        List<byte[]> der = new ArrayList<>();
        for (X509Certificate anchor : anchors) {
            try {
                der.add(anchor.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return new ServerEntry(name, uri, host, CredentialMode.X509, List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.Certificates(null, List.of(), der));
    }

    /** A raw public key server of a fleet bundle, pinned by the SHA-256 of each key. */
    public static ServerEntry rpkServer(String name, URI uri, PublicKey... keys) {
        List<byte[]> pins = new ArrayList<>();
        for (PublicKey key : keys) {
            pins.add(dev.fleetkey.bundle.update.PackageComponent.describe(
                    dev.fleetkey.bundle.update.ComponentRole.FIRMWARE_IMAGE, null, key.getEncoded()).sha256());
        }
        return new ServerEntry(name, uri, null, CredentialMode.RAW_PUBLIC_KEY,
                List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8),
                new ServerCredentials.RawPublicKey(null, null, List.of(), pins));
    }

    /** A fleet bundle payload for {@code productLine}, issued at {@link #ISSUED}, valid for a year. */
    public static BundlePayload fleet(String productLine, long sequence, DtlsPolicy policy, ServerEntry... servers) {
        byte[] id = new byte[16];
        id[0] = (byte) 0xF1;
        id[15] = (byte) sequence;
        return new BundlePayload(BundlePayload.FORMAT_VERSION, BundleKind.FLEET, id, sequence, ISSUED,
                ISSUED.plus(Duration.ofDays(365)), null, new TemplateRef(productLine, 1), List.of(servers), policy, false);
    }

    /** Signs and packs a release of {@code fleet} with {@code image} for {@code hardware}. */
    public static UpdatePackager.Packed pack(BundlePayload fleet, String hardware, String version, byte[] image,
                                             Map<String, byte[]> deviceBundles) {
        return new UpdatePackager(TestBundles.signer()).pack(new UpdatePackager.Release(fleet.template(), hardware,
                version, fleet.sequence(), ISSUED, ISSUED.plus(Duration.ofDays(90))), image,
                TestBundles.signer().sign(fleet), deviceBundles);
    }

    /** {@link #pack} without device bundles, the package bytes only. */
    public static byte[] release(BundlePayload fleet, String version, byte[] image) {
        return pack(fleet, HARDWARE, version, image, Map.of()).bytes();
    }
}
