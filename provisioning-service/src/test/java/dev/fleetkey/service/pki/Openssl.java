package dev.fleetkey.service.pki;

import dev.fleetkey.service.ExternalCommand;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** Runs the real {@code openssl} binary and writes PEM files for it. */
public final class Openssl {

    private Openssl() {
    }

    /** Runs {@code openssl args...} in {@code dir}, stdout and stderr merged. */
    public static ExternalCommand.Result run(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(Arrays.asList(args));
        return ExternalCommand.run(dir, command, "is openssl installed?");
    }

    /** Writes objects (certificates, keys) as PEM to {@code dir/name} and returns the path. */
    public static Path writePem(Path dir, String name, Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.writeString(dir.resolve(name), text.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
