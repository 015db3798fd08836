package dev.fleetkey.device;

import java.util.concurrent.Callable;

import dev.fleetkey.runtime.DeviceRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "CoAP GET over DTLS 1.2 to a server of the device bundle; prints the payload.")
final class GetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerExchange exchange;

    @Parameters(index = "0", paramLabel = "PATH", description = "the CoAP path, e.g. /hello")
    private String path;

    @Override
    public Integer call() throws CommandFailure, DeviceRuntimeException {
        return exchange.run(spec, session -> session.get(path));
    }
}
