package dev.fleetkey.device;

import java.util.concurrent.Callable;

import dev.fleetkey.runtime.DeviceRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "connect", description = "Verify the device bundle, run a DTLS 1.2 handshake with one of its servers, "
        + "send one CoAP GET and print the answer.")
final class ConnectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerExchange exchange;

    @Option(names = "--path", defaultValue = "/hello", paramLabel = "PATH", description = "CoAP path (default: ${DEFAULT-VALUE})")
    private String path;

    @Override
    public Integer call() throws CommandFailure, DeviceRuntimeException {
        return exchange.run(spec, session -> session.get(path));
    }
}
