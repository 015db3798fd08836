package dev.fleetkey.device;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fleetkey-device}: the device-side command line.
 *
 * <p>Exit codes: {@value #OK} success; {@value #USAGE} usage error (bad option, unknown server name);
 * {@value #BUNDLE_INVALID} the bundle or trust file is unreadable, invalid or unusable;
 * {@value #CONNECTION_FAILED} the DTLS handshake or the transport failed;
 * {@value #COAP_ERROR} the server answered with a CoAP error status.
 */
@Command(name = "fleetkey-device", mixinStandardHelpOptions = true, version = "fleetkey-device 0.1.0",
        description = "Inspect and verify Fleetkey bundles, and talk CoAP over DTLS 1.2 to the servers they name.",
        subcommands = {VerifyCommand.class, ShowCommand.class, ConnectCommand.class, GetCommand.class,
                PostCommand.class, InstallCommand.class, UpdateCommand.class, FallbackCommand.class,
                ReleaseCommand.class, CheckinCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:usage error (bad option, unknown server name)",
                "2:bundle or trust file unreadable, invalid or unusable",
                "3:DTLS handshake or transport failure", "4:the server answered with a CoAP error status"})
public final class FleetkeyDevice implements Runnable {

    public static final int OK = 0;
    public static final int USAGE = 1;
    public static final int BUNDLE_INVALID = 2;
    public static final int CONNECTION_FAILED = 3;
    public static final int COAP_ERROR = 4;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--state-dir", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "keep DTLS sessions here (encrypted with the device's key), so the next run resumes them")
    private Path stateDirectory;

    /** The {@code --state-dir}, given before or after the subcommand. */
    Optional<Path> stateDirectory() {
        return Optional.ofNullable(stateDirectory);
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command with the given streams; returns the exit code. Used by tests in-process. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new FleetkeyDevice())
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((e, arguments) -> {
                    e.getCommandLine().getErr().println("fleetkey-device: " + e.getMessage());
                    e.getCommandLine().usage(e.getCommandLine().getErr());
                    return USAGE;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // Expected failures are reported by the commands themselves; this is a bug, say so briefly.
                    cmd.getErr().println("fleetkey-device: internal error: " + e);
                    return CONNECTION_FAILED;
                });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Without a subcommand: print usage and fail as a usage error. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: verify, show, connect, get, post, install, update, fallback or release");
    }
}
