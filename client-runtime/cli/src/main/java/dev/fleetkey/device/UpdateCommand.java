package dev.fleetkey.device;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.fleetkey.bundle.BundleException;
import dev.fleetkey.bundle.update.UpdateManifest;
import dev.fleetkey.runtime.DeviceRuntimeException;
import dev.fleetkey.runtime.state.DeviceStateDirectory;
import dev.fleetkey.runtime.state.InstalledState;
import dev.fleetkey.runtime.state.UpdatePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "update", description = "Verify an update package (--package), or the bundles a server's GET /config"
        + " delivers (--from-server), against this device's state directory and apply them atomically (the previous"
        + " state is kept for fallback); with --dry-run only print what would change.",
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:applied (or, with --dry-run, would apply), or already up to date",
                "1:usage error", "2:state directory or trust file missing, unreadable or not installed",
                "3:DTLS handshake or transport failure (--from-server)",
                "4:the server answered with a CoAP error status or an unreadable config map (--from-server)",
                "10:rollback: sequence not above the last accepted (a replay)",
                "11:package or bundle for another product line", "12:package for another hardware class",
                "13:tampered or malformed: a component, the manifest or a bundle does not match its signature",
                "14:expired or not yet valid",
                "15:fleet bundle refused by the rotation rules (a server left untrusted, an anchor still in use dropped)",
                "16:signed by a signer this device does not trust", "17:any other refusal (wrong device, wrong kind)",
                ExitCodes.INTERNAL_ERROR_LINE})
final class UpdateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--state-dir", required = true, paramLabel = "DIR", description = "the installed device's state"
            + " directory: the update is checked against its current bundles and applied there, the previous state"
            + " kept for fallback; with --from-server, DTLS sessions are kept there too")
    private Path stateDirectory;

    @Option(names = "--package", paramLabel = "FILE", description = "the update package (.fkpkg)")
    private Path packageFile;

    @Option(names = "--from-server", paramLabel = "NAME", description = "fetch the fleet bundle and any pending device"
            + " bundle from this server's GET /config (a server named in the current bundles); nothing is downloaded"
            + " when the ETag of the last applied answer is still current")
    private String fromServer;

    @Option(names = "--address", paramLabel = "HOST:PORT", description = "with --from-server: dial this address"
            + " instead of the server URI's (the server is still authenticated)")
    private String address;

    @Mixin
    private TrustOption trust;

    @Option(names = "--dry-run", description = "verify and print the changes (servers, anchors, pins) without applying")
    private boolean dryRun;

    @Override
    public Integer call() throws CommandFailure, DeviceRuntimeException {
        if ((packageFile == null) == (fromServer == null)) {
            throw new CommandFailure.Usage("update needs exactly one of --package FILE or --from-server NAME");
        }
        if (address != null && fromServer == null) {
            throw new CommandFailure.Usage("--address is only for --from-server");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (fromServer != null) {
            return new ServerUpdate(stateDirectory, trust.file(), fromServer, address, dryRun).run(out);
        }
        byte[] bytes = BundleFiles.read(packageFile, "package");
        DeviceStateDirectory state = DeviceStateDirectory.open(stateDirectory, trust.verifier());
        Instant now = Instant.now();
        try {
            UpdatePlan plan = state.plan(bytes, now);
            UpdateManifest manifest = plan.verified().orElseThrow().manifest();
            out.println("package verified: " + manifest.productLine() + "@" + manifest.template().version() + " "
                    + manifest.hardwareClass() + " firmware " + manifest.firmwareVersion() + ", sequence "
                    + manifest.sequence() + " (current " + PlanReport.fleetSequence(plan.from()) + ")");
            if (!PlanReport.printChanges(plan, dryRun, out)) {
                return ExitCodes.OK;
            }
            InstalledState applied = state.apply(plan, now);
            out.println("applied: now on " + applied.slot() + " (firmware " + applied.firmwareVersion().orElse("?")
                    + ", fleet sequence " + applied.fleetSequence() + "); previous state " + plan.from().slot()
                    + " kept for fallback");
            return ExitCodes.OK;
        } catch (BundleException e) {
            throw new CommandFailure.Refused("update package " + packageFile, e);
        }
    }
}
