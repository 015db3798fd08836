package dev.fleetkey.device;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.update.UpdateManifest;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.state.StateDirectoryException;
import dev.fleetkey.runtime.state.UpdatePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "update", description = "Verify an update package against this device's state directory and apply it"
        + " atomically (the previous state is kept for fallback); with --dry-run only print what would change.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:applied (or, with --dry-run, would apply)",
                "1:usage error", "2:state directory or trust file missing, unreadable or not installed",
                "10:rollback: sequence not above the last accepted (a replay)",
                "11:package or bundle for another product line", "12:package for another hardware class",
                "13:tampered or malformed: a component, the manifest or a bundle does not match its signature",
                "14:expired or not yet valid",
                "15:fleet bundle refused by the rotation rules (a server left untrusted, an anchor still in use dropped)",
                "16:signed by a signer this device does not trust", "17:any other refusal (wrong device, wrong kind)"})
final class UpdateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FleetkeyDevice parent;

    @Option(names = "--package", required = true, paramLabel = "FILE", description = "the update package (.fkpkg)")
    private Path packageFile;

    @Option(names = "--trust", required = true, paramLabel = "PEM", description = "the bundle-signer certificate")
    private Path trust;

    @Option(names = "--dry-run", description = "verify and print the changes (servers, anchors, pins) without applying")
    private boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (parent.stateDirectory().isEmpty()) {
            return StateCommands.fail(err, FleetkeyDevice.USAGE, "update needs --state-dir DIR");
        }
        try {
            byte[] bytes = readPackage();
            DeviceStateDirectory state = DeviceStateDirectory.open(parent.stateDirectory().get(),
                    StateCommands.verifier(trust));
            Instant now = Instant.now();
            UpdatePlan plan = state.plan(bytes, now);
            UpdateManifest manifest = plan.verified().manifest();
            out.println("package verified: " + manifest.productLine() + "@" + manifest.template().version() + " "
                    + manifest.hardwareClass() + " firmware " + manifest.firmwareVersion() + ", sequence "
                    + manifest.sequence() + " (current " + (plan.from().fleetSequence() < 0 ? "none"
                    : String.valueOf(plan.from().fleetSequence())) + ")");
            plan.changes().lines().forEach(out::println);
            plan.deviceBundle().ifPresent(d -> out.println("+ device bundle sequence " + d.sequence()));
            if (plan.changes().isEmpty() && plan.deviceBundle().isEmpty()) {
                out.println("no change to servers, anchors or pins");
            }
            if (dryRun) {
                out.println("dry run: nothing applied");
                return FleetkeyDevice.OK;
            }
            InstalledState applied = state.apply(plan, now);
            out.println("applied: now on " + applied.slot() + " (firmware " + applied.firmwareVersion().orElse("?")
                    + ", fleet sequence " + applied.fleetSequence() + "); previous state " + plan.from().slot()
                    + " kept for fallback");
            return FleetkeyDevice.OK;
        } catch (BundleFiles.FileProblem | StateDirectoryException e) {
            return StateCommands.fail(err, FleetkeyDevice.BUNDLE_INVALID, e.getMessage());
        } catch (BundleException e) {
            return StateCommands.refuse(err, "update package " + packageFile, e);
        }
    }

    private byte[] readPackage() throws BundleFiles.FileProblem {
        try {
            return Files.readAllBytes(packageFile);
        } catch (NoSuchFileException e) {
            throw new BundleFiles.FileProblem("package file " + packageFile + " does not exist");
        } catch (IOException e) {
            throw new BundleFiles.FileProblem("package file " + packageFile + " cannot be read: " + e.getMessage());
        }
    }
}
