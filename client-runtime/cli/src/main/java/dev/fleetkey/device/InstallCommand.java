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

@Command(name = "install", description = "First provisioning of a state directory: verify the device bundle and make"
        + " it the current state, for this hardware class and the product line the bundle names.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:installed", "1:usage error",
                "2:state directory already installed, or a file unreadable", "10:rollback",
                "13:bundle tampered or malformed", "14:bundle expired or not yet valid", "16:untrusted signer",
                "17:any other refusal", ExitCodes.INTERNAL_ERROR_LINE})
final class InstallCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--state-dir", required = true, paramLabel = "DIR", description = "the state directory to"
            + " provision: created if missing, refused if a device is already installed there")
    private Path stateDirectory;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "the device's signed bundle")
    private Path bundle;

    @Mixin
    private TrustOption trust;

    @Option(names = "--hardware-class", required = true, paramLabel = "HW", description = "e.g. rev-b")
    private String hardwareClass;

    @Override
    public Integer call() throws CommandFailure, StateDirectoryException {
        Instant now = Instant.now();
        DeviceStateDirectory state;
        InstalledState current;
        try {
            state = DeviceStateDirectory.install(stateDirectory, BundleFiles.readBundle(bundle), hardwareClass,
                    trust.verifier(), now);
            current = state.current(now);
        } catch (IllegalArgumentException e) {
            throw new CommandFailure.Usage(e.getMessage());
        } catch (BundleException e) {
            throw new CommandFailure.Refused("device bundle " + bundle, e);
        }
        spec.commandLine().getOut().println("installed " + state.identity().device().canonical() + " ("
                + state.identity().productLine() + ", " + state.identity().hardwareClass() + ") in " + stateDirectory
                + ": device bundle sequence " + current.deviceBundle().sequence());
        return ExitCodes.OK;
    }
}
