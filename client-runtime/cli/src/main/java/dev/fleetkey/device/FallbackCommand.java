package dev.fleetkey.device;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.state.StateDirectoryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fallback", description = "Switch the state directory back to the state kept before the last update"
        + " (the anti-rollback counters stay: applied packages are not accepted again).",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:fallen back", "1:usage error",
                "2:no previous state, or the state directory or trust file unusable",
                "14:the previous state's bundles have expired", "17:the previous state no longer verifies",
                ExitCodes.INTERNAL_ERROR_LINE})
final class FallbackCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--state-dir", required = true, paramLabel = "DIR", description = "the installed device's state"
            + " directory, whose previous state becomes current again")
    private Path stateDirectory;

    @Mixin
    private TrustOption trust;

    @Override
    public Integer call() throws CommandFailure, StateDirectoryException {
        InstalledState now;
        try {
            now = DeviceStateDirectory.open(stateDirectory, trust.verifier()).fallBack(Instant.now());
        } catch (BundleException e) {
            throw new CommandFailure.Refused("previous state", e);
        }
        spec.commandLine().getOut().println("fell back: now on " + now.slot() + " (firmware "
                + now.firmwareVersion().orElse("as installed") + ", fleet sequence " + now.fleetSequence() + ")");
        return ExitCodes.OK;
    }
}
