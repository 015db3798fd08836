package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetkey.device.CliFixtures.Run;

/** The pipeline side's failures it can report without a service: no token, no image, nobody listening. */
class ReleasePackageCommandTest {

    @TempDir
    Path dir;

    private Run release(String service, String tokenVariable, Path image) {
        return CliFixtures.run("release", "package", "--service", service, "--token-env", tokenVariable,
                "--template", "demo-sensor@1", "--hardware", "rev-b", "--version", "1.2.0",
                "--image", image.toString(), "--out", dir.resolve("out").toString());
    }

    @Test
    void anUnsetTokenVariableIsNamedAndNothingIsSent() throws Exception {
        Run run = release("http://127.0.0.1:9", "FLEETKEY_TEST_VARIABLE_THAT_IS_NOT_SET",
                Files.write(dir.resolve("fw.bin"), new byte[] {1}));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BUNDLE_INVALID);
        assertThat(run.err()).contains("FLEETKEY_TEST_VARIABLE_THAT_IS_NOT_SET is not set");
    }

    @Test
    void theTokenIsNeverAcceptedAsAnOptionValue() {
        Run run = CliFixtures.run("release", "package", "--service", "http://127.0.0.1:9", "--template", "demo-sensor@1",
                "--hardware", "rev-b", "--version", "1.2.0", "--image", "fw.bin", "--out", "out", "--token", "fkr_secret");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Unknown options: '--token'");
    }

    @Test
    void aServiceThatDoesNotAnswerIsReportedAsUnreachable() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        // any variable that is set will do as the token here: nothing listens to receive it
        Run run = release("http://127.0.0.1:" + port, "PATH", Files.write(dir.resolve("fw.bin"), new byte[] {1}));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.SERVICE_UNREACHABLE);
        assertThat(run.err()).contains("cannot reach http://127.0.0.1:" + port);
    }
}
