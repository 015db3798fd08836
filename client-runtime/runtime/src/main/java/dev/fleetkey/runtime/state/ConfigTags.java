package dev.fleetkey.runtime.state;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * The ETags of applied {@code GET /config} answers, one per server name, so an up-to-date device downloads
 * nothing. Forgotten whenever the current state switches: an ETag must only ever describe the state in use.
 */
final class ConfigTags {

    static final String FILE_NAME = "config-etags";

    private final Path file;

    ConfigTags(Path directory) {
        this.file = directory.resolve(FILE_NAME);
    }

    Optional<byte[]> get(String server) throws IOException {
        String hex = load().getProperty(server);
        try {
            return hex == null ? Optional.empty() : Optional.of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a damaged tag only costs one download
        }
    }

    void put(String server, byte[] etag) throws IOException {
        if (etag.length < 1 || etag.length > 8) {
            throw new IllegalArgumentException("a CoAP ETag has 1..8 bytes, this one " + etag.length);
        }
        Properties tags = load();
        tags.setProperty(server, HexFormat.of().formatHex(etag));
        StringWriter text = new StringWriter();
        tags.store(text, "ETags of the GET /config answers applied, per server");
        AtomicFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    void forget() throws IOException {
        Files.deleteIfExists(file);
    }

    private Properties load() throws IOException {
        Properties tags = new Properties();
        try {
            tags.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            // nothing remembered yet
        }
        return tags;
    }
}
