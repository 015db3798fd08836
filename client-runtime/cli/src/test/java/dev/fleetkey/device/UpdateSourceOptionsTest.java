package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.device.CliFixtures.Run;

/** {@code update} takes its bundles from exactly one place: a package file or a server's GET /config. */
class UpdateSourceOptionsTest {

    @TempDir
    Path dir;

    @Test
    void updateNeedsExactlyOneOfPackageOrFromServer() {
        String state = dir.resolve("state").toString();
        String trust = dir.resolve("signer.pem").toString();

        Run neither = CliFixtures.run("update", "--state-dir", state, "--trust", trust);
        Run both = CliFixtures.run("update", "--state-dir", state, "--trust", trust, "--package", "x.fkpkg",
                "--from-server", "fleetkey");
        Run addressAlone = CliFixtures.run("update", "--state-dir", state, "--trust", trust, "--package", "x.fkpkg",
                "--address", "127.0.0.1:5684");

        assertThat(neither.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(neither.err()).contains("exactly one of --package FILE or --from-server NAME");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(addressAlone.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(addressAlone.err()).contains("--address is only for --from-server");
    }

    @Test
    void fromServerOnAnUninstalledStateDirectorySaysHowToInstall() throws Exception {
        Run run = CliFixtures.run("update", "--state-dir", dir.resolve("state").toString(), "--trust",
                CliFixtures.signerPem(dir).toString(), "--from-server", "fleetkey");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BUNDLE_INVALID);
        assertThat(run.err()).contains("fleetkey-device install");
    }
}
