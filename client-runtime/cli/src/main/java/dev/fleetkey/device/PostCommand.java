package dev.fleetkey.device;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.fleetkey.runtime.DeviceRuntimeException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "post", description = "CoAP POST over DTLS 1.2 to a server of the device bundle; prints the answer.")
final class PostCommand implements Callable<Integer> {

    /** Exactly one body source. */
    static final class Body {
        @Option(names = "--data", required = true, paramLabel = "TEXT", description = "the body, as UTF-8 text")
        String data;

        @Option(names = "--file", required = true, paramLabel = "FILE", description = "the body, read from a file")
        Path file;
    }

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerExchange exchange;

    @Parameters(index = "0", paramLabel = "PATH", description = "the CoAP path, e.g. /checkin")
    private String path;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Body body;

    @Option(names = "--content-format", paramLabel = "N", description = "CoAP Content-Format number "
            + "(default: 0, text/plain, for --data; 42, application/octet-stream, for --file)")
    private Integer contentFormat;

    @Override
    public Integer call() throws CommandFailure, DeviceRuntimeException {
        byte[] payload;
        if (body.file != null) {
            try {
                payload = Files.readAllBytes(body.file);
            } catch (IOException e) {
                throw new CommandFailure.Usage("--file " + body.file + " cannot be read: " + e.getMessage());
            }
        } else {
            payload = body.data.getBytes(StandardCharsets.UTF_8);
        }
        int format = contentFormat != null ? contentFormat : body.file != null ? 42 : 0;
        return exchange.run(spec, session -> session.post(path, payload, format));
    }
}
