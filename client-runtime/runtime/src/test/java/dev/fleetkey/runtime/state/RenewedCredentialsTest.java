package dev.fleetkey.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.bundle.testing.TestBundles;
import dev.fleetkey.runtime.testing.TestCertificates;

/** The renewed-credential files of a state directory: written whole, read back, damage named. */
class RenewedCredentialsTest {

    private static final String BUNDLE = "00112233445566778899aabbccddeeff";
    private static final TestCertificates.Issued CA = TestCertificates.ca("Device CA");
    private static final TestCertificates.Issued LEAF = TestCertificates.device(TestBundles.GOOD_DEVICE, CA);

    @TempDir
    Path dir;

    @Test
    void aSoftwareCredentialIsWrittenOwnerOnlyAndReadBackAsItWas() throws IOException {
        RenewedCredentials files = new RenewedCredentials(dir);
        RenewedCredential written = RenewedCredential.software(BUNDLE, LEAF.privateKey().getEncoded(),
                List.of(LEAF.certificate(), CA.certificate()));

        files.write("fleetkey", RenewedCredentials.PENDING, written);

        Path file = dir.resolve("credentials").resolve("fleetkey").resolve("pending");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("format=1", "device-bundle=" + BUNDLE, "key=software")
                .doesNotContain("key-label");
        assertThat(files.read("fleetkey", RenewedCredentials.PENDING)).contains(written);
        assertThat(files.read("fleetkey", RenewedCredentials.ACTIVE)).isEmpty();
        assertThat(written.toString()).doesNotContain(java.util.Base64.getEncoder()
                .encodeToString(LEAF.privateKey().getEncoded()));
    }

    @Test
    void promotingRenamesPendingOverActiveAndLeavesNoPending() throws IOException {
        RenewedCredentials files = new RenewedCredentials(dir);
        RenewedCredential token = RenewedCredential.token(BUNDLE, "fleetkey-1-abc", List.of(LEAF.certificate()));
        files.write("fleetkey", RenewedCredentials.ACTIVE, RenewedCredential.software(BUNDLE,
                LEAF.privateKey().getEncoded(), List.of(LEAF.certificate())));
        files.write("fleetkey", RenewedCredentials.PENDING, token);

        files.promote("fleetkey");

        assertThat(files.read("fleetkey", RenewedCredentials.ACTIVE)).contains(token);
        assertThat(files.read("fleetkey", RenewedCredentials.PENDING)).isEmpty();
    }

    @Test
    void aServerNameThatIsNoPlainFileNameIsHexEncoded() throws IOException {
        new RenewedCredentials(dir).write("../evil", RenewedCredentials.ACTIVE, RenewedCredential.token(BUNDLE, "k",
                List.of(LEAF.certificate())));

        assertThat(dir.resolve("credentials").resolve("2e2e2f6576696c").resolve("active")).isRegularFile();
    }

    @Test
    void aDamagedFileIsAnErrorNamingTheFileAndTheWayOut() throws IOException {
        Path file = Files.createDirectories(dir.resolve("credentials").resolve("fleetkey")).resolve("active");
        Files.writeString(file, "format=1\ndevice-bundle=" + BUNDLE + "\nkey=software\nchain=bm90IGEgY2VydA==\n");

        assertThatThrownBy(() -> new RenewedCredentials(dir).read("fleetkey", RenewedCredentials.ACTIVE))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("remove it to use the bundle's credential");
    }
}
