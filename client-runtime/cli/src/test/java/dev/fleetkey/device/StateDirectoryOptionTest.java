package dev.fleetkey.device;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code --state-dir} is offered only where a command uses it, and says there what that command keeps in it. */
class StateDirectoryOptionTest {

    private static OptionSpec stateDirOf(String command) {
        CommandLine commandLine = new CommandLine(new FleetkeyDevice());
        for (String name : command.split(" ")) {
            commandLine = commandLine.getSubcommands().get(name);
        }
        return commandLine.getCommandSpec().findOption("--state-dir");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "connect  | DTLS sessions are kept there",
            "get      | DTLS sessions are kept there",
            "post     | DTLS sessions are kept there",
            "checkin  | DTLS sessions are kept there",
            "install  | the state directory to provision",
            "update   | the update is checked against its current bundles and applied there",
            "fallback | whose previous state becomes current again"})
    void eachCommandDescribesWhatItKeepsInTheStateDirectory(String command, String description) {
        OptionSpec option = stateDirOf(command);

        assertThat(option).as(command + " --state-dir").isNotNull();
        assertThat(String.join(" ", option.description())).contains(description);
    }

    @ParameterizedTest
    @ValueSource(strings = {"install", "update", "fallback"})
    void commandsThatChangeTheStateDirectoryRequireIt(String command) {
        assertThat(stateDirOf(command).required()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"verify", "show", "release", "release package"})
    void commandsThatKeepNoStateDoNotOfferIt(String command) {
        assertThat(stateDirOf(command)).as(command + " --state-dir").isNull();
    }

    @Test
    void verifyRefusesAStateDirectoryAsAnUnknownOption() {
        CliFixtures.Run run = CliFixtures.run("verify", "--state-dir", "state", "--bundle", "b.der", "--trust", "t.pem");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Unknown options: '--state-dir'");
    }
}
