package dev.fleetkey.device;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "CoAP GET over DTLS 1.2 to a server of the device bundle; prints the payload.")
final class GetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private FleetkeyDevice parent;

    @Mixin
    private ServerExchange exchange;

    @Parameters(index = "0", paramLabel = "PATH", description = "the CoAP path, e.g. /hello")
    private String path;

    @Override
    public Integer call() {
        return exchange.run(spec, parent.stateDirectory(), session -> session.get(path));
    }
}
