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

@Command(name = "install", description = "First provisioning of a state directory: verify the device bundle and make"
        + " it the current state, for this hardware class and the product line the bundle names.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:installed", "1:usage error",
                "2:state directory already installed, or a file unreadable", "10:rollback",
                "13:bundle tampered or malformed", "14:bundle expired or not yet valid", "16:untrusted signer",
                "17:any other refusal"})
final class InstallCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FleetkeyDevice parent;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "the device's signed bundle")
    private Path bundle;

    @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the bundle-signer certificate")
    private Path trust;

    @Option(names = "--hardware-class", required = true, paramLabel = "HW", description = "e.g. rev-b")
    private String hardwareClass;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        if (parent.stateDirectory().isEmpty()) {
            return StateCommands.fail(err, FleetkeyDevice.USAGE, "install needs --state-dir DIR");
        }
        Path directory = parent.stateDirectory().get();
        try {
            Instant now = Instant.now();
            DeviceStateDirectory state = DeviceStateDirectory.install(directory, BundleFiles.readBundle(bundle),
                    hardwareClass, StateCommands.verifier(trust), now);
            InstalledState current = state.current(now);
            spec.commandLine().getOut().println("installed " + state.identity().device().canonical() + " ("
                    + state.identity().productLine() + ", " + state.identity().hardwareClass() + ") in " + directory
                    + ": device bundle sequence " + current.deviceBundle().sequence());
            return FleetkeyDevice.OK;
        } catch (IllegalArgumentException e) {
            return StateCommands.fail(err, FleetkeyDevice.USAGE, e.getMessage());
        } catch (BundleFiles.FileProblem | StateDirectoryException e) {
            return StateCommands.fail(err, FleetkeyDevice.BUNDLE_INVALID, e.getMessage());
        } catch (BundleException e) {
            return StateCommands.refuse(err, "device bundle " + bundle, e);
        }
    }
}
