package dev.fleetkey.device;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code fleetkey-device}: the device-side command line. Commands throw what went wrong; {@link ExitCodes}
 * maps it to the exit code listed in {@code --help}, and the line on stderr says what to fix.
 */
@Command(name = "fleetkey-device", version = "fleetkey-device 0.1.0",
        description = "Inspect and verify Fleetkey bundles, and talk CoAP over DTLS 1.2 to the servers they name.",
        subcommands = {VerifyCommand.class, ShowCommand.class, ConnectCommand.class, GetCommand.class,
                PostCommand.class, InstallCommand.class, UpdateCommand.class, FallbackCommand.class,
                ReleaseCommand.class, CheckinCommand.class, RenewCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK + ":success", ExitCodes.USAGE + ":usage error (bad option, unknown server name)",
                ExitCodes.BUNDLE_INVALID + ":bundle or trust file unreadable, invalid or unusable",
                ExitCodes.CONNECTION_FAILED + ":DTLS handshake or transport failure",
                ExitCodes.COAP_ERROR + ":the server answered with a CoAP error status",
                ExitCodes.SERVICE_REFUSED + ":the service refused the release (release package)",
                ExitCodes.SERVICE_UNREACHABLE + ":the service could not be reached (release package)",
                "10-17:a bundle or update package refused, by reason (see install, update and fallback --help)",
                ExitCodes.INTERNAL_ERROR_LINE})
public final class FleetkeyDevice implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    // Inherited, so that every command, however many options it requires, answers --help.
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "print this command's usage and exit")
    private boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "print the version and exit")
    private boolean version;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command with the given streams; returns the exit code. Used by tests in-process. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        int code = reportingFailures(new CommandLine(new FleetkeyDevice()).setOut(out).setErr(err)).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * {@code commandLine} (its streams set) with the failure handling every command shares: a usage error
     * prints the usage, any other failure one line; {@link ExitCodes} gives the code. An {@link Error} (out
     * of memory) is caught too, which picocli leaves to the JVM, whose exit status 1 would read as a usage error.
     */
    static CommandLine reportingFailures(CommandLine commandLine) {
        ExitCodes exitCodes = new ExitCodes();
        return commandLine
                .setExitCodeExceptionMapper(exitCodes)
                .setParameterExceptionHandler((e, arguments) -> {
                    CommandLine failed = e.getCommandLine();
                    failed.getErr().println("fleetkey-device: " + ExitCodes.describe(e));
                    failed.usage(failed.getErr());
                    return exitCodes.getExitCode(e);
                })
                .setExecutionExceptionHandler((e, failed, parsed) -> report(failed, exitCodes, e))
                .setExecutionStrategy(parsed -> {
                    try {
                        return new CommandLine.RunLast().execute(parsed);
                    } catch (Error e) {
                        return report(commandLine, exitCodes, e);
                    }
                });
    }

    private static int report(CommandLine failed, ExitCodes exitCodes, Throwable failure) {
        failed.getErr().println("fleetkey-device: " + ExitCodes.describe(failure));
        return exitCodes.getExitCode(failure);
    }

    /** Without a subcommand: print usage and fail as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
