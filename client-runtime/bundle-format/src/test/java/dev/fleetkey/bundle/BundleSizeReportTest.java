package dev.fleetkey.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.bundle.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import dev.fleetkey.bundle.testing.GoldenVectors;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

/**
 * Prints the signed sizes issue 4 asks about (no embedded signer certificate). Sizes are reported,
 * not asserted here: the golden vectors pin the exact bytes.
 */
class BundleSizeReportTest {

    @Test
    void printSignedBundleSizes() throws IOException {
        PublicKey station = TestPki.p256().getPublic();
        BundleSigner signer = TestBundles.signer();
        StringBuilder report = new StringBuilder("signed bundle sizes (bytes, signer certificate not embedded):\n");
        for (String mode : new String[] {"psk", "rpk", "x509"}) {
            BundlePayload clear = switch (mode) {
                case "psk" -> TestBundles.pskDevicePayload(5);
                case "rpk" -> TestBundles.rpkDevicePayload(5);
                default -> TestBundles.x509DevicePayload(5);
            };
            int clearSize = signer.sign(clear).length;
            BundlePayload unflagged = new BundlePayload(clear.formatVersion(), clear.kind(), clear.bundleId(),
                    clear.sequence(), clear.issuedAt(), clear.notAfter(), clear.device(), clear.template(),
                    clear.servers(), clear.dtlsPolicy(), false);
            int sealedSize = signer.sign(BundleSecrets.seal(unflagged, station)).length;
            report.append(String.format("  fixture %-4s device: %5d in clear, %5d sealed%n", mode, clearSize, sealedSize));
            assertThat(sealedSize).isGreaterThan(clearSize);
        }
        report.append(String.format("  fixture fleet      : %5d%n", signer.sign(TestBundles.fleetPayload(1)).length));
        for (String vector : new String[] {"device-psk", "device-psk-clear", "device-rpk", "device-x509", "fleet"}) {
            report.append(String.format("  vector %-17s: %5d%n", vector,
                    Files.size(GoldenVectors.directory().resolve(vector + ".der"))));
        }
        System.out.print(report);
    }
}
