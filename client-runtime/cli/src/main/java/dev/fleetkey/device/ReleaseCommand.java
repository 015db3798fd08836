package dev.fleetkey.device;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code release}: the build pipeline's side, talking to the provisioning service with a release token. */
@Command(name = "release", description = "Build-pipeline commands: package a firmware release through the service.",
        subcommands = ReleasePackageCommand.class)
final class ReleaseCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /** Without a subcommand: a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a release command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
