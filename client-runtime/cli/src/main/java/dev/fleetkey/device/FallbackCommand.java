package dev.fleetkey.device;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.state.StateDirectoryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "fallback", description = "Switch the state directory back to the state kept before the last update"
        + " (the anti-rollback counters stay: applied packages are not accepted again).",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:fallen back", "1:usage error",
                "2:no previous state, or the state directory or trust file unusable",
                "14:the previous state's bundles have expired", "17:the previous state no longer verifies"})
final class FallbackCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FleetkeyDevice parent;

    @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the bundle-signer certificate")
    private Path trust;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (parent.stateDirectory().isEmpty()) {
            return StateCommands.fail(err, FleetkeyDevice.USAGE, "fallback needs --state-dir DIR");
        }
        try {
            InstalledState now = DeviceStateDirectory.open(parent.stateDirectory().get(), StateCommands.verifier(trust))
                    .fallBack(Instant.now());
            spec.commandLine().getOut().println("fell back: now on " + now.slot() + " (firmware "
                    + now.firmwareVersion().orElse("as installed") + ", fleet sequence " + now.fleetSequence() + ")");
            return FleetkeyDevice.OK;
        } catch (BundleFiles.FileProblem | StateDirectoryException e) {
            return StateCommands.fail(err, FleetkeyDevice.BUNDLE_INVALID, e.getMessage());
        } catch (BundleException e) {
            return StateCommands.refuse(err, "previous state", e);
        }
    }
}
