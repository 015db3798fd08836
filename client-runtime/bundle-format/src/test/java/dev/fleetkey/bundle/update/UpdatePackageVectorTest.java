package dev.fleetkey.bundle.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetkey.bundle.BundleVerifier;
import dev.fleetkey.bundle.VerificationContext;
import dev.fleetkey.bundle.testing.TestBytes;
import dev.fleetkey.bundle.testing.UpdateVectors;
import dev.fleetkey.bundle.testing.VectorPayloads;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed update package vector: reproduced byte for byte by today's code, and verifiable. */
class UpdatePackageVectorTest {

    private static final UpdatePackageVerifier VERIFIER =
            new UpdatePackageVerifier(BundleVerifier.builder().trustAnchor(VectorPayloads.SIGNER).build());
    private static final UpdateExpectations DEVICE = new UpdateExpectations(VectorPayloads.TEMPLATE.id(),
            UpdateVectors.HARDWARE, VectorPayloads.FLEET_SEQUENCE - 1, VectorPayloads.NOW,
            VerificationContext.DEFAULT_CLOCK_SKEW);

    private static byte[] committed() throws Exception {
        Path file = UpdateVectors.directory().resolve(UpdateVectors.FILE);
        assertThat(file).as("regenerate with dev.fleetkey.bundle.testing.UpdateVectors (see its Javadoc)").exists();
        return Files.readAllBytes(file);
    }

    @Test
    void todaysPackagerReproducesTheCommittedPackageByteForByte() throws Exception {
        assertThat(UpdateVectors.build()).isEqualTo(committed());
    }

    @Test
    void theCommittedPackageVerifiesForItsProductLineAndHardware() throws Exception {
        VerifiedPackage verified = VERIFIER.verify(committed(), DEVICE);

        assertThat(verified.image()).isEqualTo(UpdateVectors.IMAGE);
        assertThat(verified.manifest().firmwareVersion()).isEqualTo(UpdateVectors.VERSION);
        assertThat(verified.fleetBundle()).isEqualTo(Files.readAllBytes(UpdateVectors.directory().resolveSibling("fleet.der")));
    }

    @Test
    void theCommittedPackageWithOneImageByteChangedIsRefusedAsTampered() throws Exception {
        byte[] bad = committed();
        bad[TestBytes.requireIndexOf(bad, UpdateVectors.IMAGE) + 10] ^= 0x01;

        assertThatThrownBy(() -> VERIFIER.verify(bad, DEVICE)).isInstanceOf(TamperedComponentException.class);
    }
}
