package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;

/** {@code --help} works on every command, whatever options that command requires. */
class HelpOptionTest {

    /** Every command path of the tree, e.g. "connect" and "release package", found from the tree itself. */
    static Stream<String> everyCommand() {
        List<String> paths = new ArrayList<>();
        collect(new CommandLine(new FleetkeyDevice()), "", paths);
        return paths.stream();
    }

    private static void collect(CommandLine command, String prefix, List<String> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            String path = (prefix + " " + name).strip();
            paths.add(path);
            collect(sub, path, paths);
        });
    }

    @ParameterizedTest(name = "{0} --help")
    @MethodSource("everyCommand")
    void helpPrintsTheCommandsUsageAndSucceeds(String command) {
        CliFixtures.Run run = CliFixtures.run(Stream.concat(Stream.of(command.split(" ")), Stream.of("--help"))
                .toArray(String[]::new));

        assertThat(run.exitCode()).as(command + " --help; stderr: " + run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: fleetkey-device " + command).contains("-h, --help");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -h")
    @MethodSource("everyCommand")
    void shortHelpWorksToo(String command) {
        CliFixtures.Run run = CliFixtures.run(Stream.concat(Stream.of(command.split(" ")), Stream.of("-h"))
                .toArray(String[]::new));

        assertThat(run.exitCode()).as(command + " -h; stderr: " + run.err()).isZero();
        assertThat(run.out()).startsWith("Usage: fleetkey-device " + command);
    }

    @Test
    void theTreeHoldsEveryCommandTheUsageNames() {
        assertThat(everyCommand()).contains("verify", "show", "connect", "get", "post", "install", "update",
                "fallback", "release", "release package", "checkin");
    }
}
