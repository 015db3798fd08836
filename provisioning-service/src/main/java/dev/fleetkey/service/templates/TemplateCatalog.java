package dev.fleetkey.service.templates;

import dev.fleetkey.service.system.FleetkeyProperties;
import dev.fleetkey.service.system.StartupProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every template in {@code fleetkey.templates-dir}, loaded once at start-up. One bad file stops the
 * start with a message naming the file and the field, rather than serving a product line half-defined.
 */
@Component
public class TemplateCatalog {

    private static final Logger log = LoggerFactory.getLogger(TemplateCatalog.class);

    private final Map<String, DeviceTemplate> byReference = new LinkedHashMap<>();

    TemplateCatalog(FleetkeyProperties properties, JdbcClient jdbc, TransactionTemplate transaction) {
        Path dir = properties.templatesDir().normalize();
        if (!Files.isDirectory(dir)) {
            throw new StartupProblem("fleetkey.templates-dir: " + dir.toAbsolutePath() + " is not a directory",
                    "Create it, or point fleetkey.templates-dir at the directory holding your *.yaml templates.", null);
        }
        Map<String, String> sourceOf = new LinkedHashMap<>();
        List<Loaded> loaded = new ArrayList<>();
        for (Path file : templateFiles(dir)) {
            String shown = dir.resolve(file.getFileName()).toString();
            byte[] content = read(file);
            DeviceTemplate template = TemplateParser.parse(shown, content);
            String previous = sourceOf.putIfAbsent(template.reference(), shown);
            if (previous != null) {
                throw new InvalidTemplateException(shown, "version",
                        template.reference() + " is already defined in " + previous + "; give each version its own number");
            }
            byReference.put(template.reference(), template);
            loaded.add(new Loaded(template, shown, sha256(content)));
        }
        transaction.executeWithoutResult(status -> loaded.forEach(l -> remember(jdbc, l)));
        if (byReference.isEmpty()) {
            log.warn("No templates in {}: provisioning fails until a *.yaml template is added", dir.toAbsolutePath());
        } else {
            log.info("Loaded templates {} from {}", byReference.keySet(), dir.toAbsolutePath());
        }
    }

    /**
     * Finds a template by {@code id} (its highest version) or {@code id@version}.
     */
    public Optional<DeviceTemplate> find(String reference) {
        if (reference == null) {
            return Optional.empty();
        }
        if (reference.contains("@")) {
            return Optional.ofNullable(byReference.get(reference));
        }
        return byReference.values().stream().filter(t -> t.id().equals(reference))
                .max(Comparator.comparingInt(DeviceTemplate::version));
    }

    /** All loaded templates, in file-name order. */
    public List<DeviceTemplate> all() {
        return List.copyOf(byReference.values());
    }

    private record Loaded(DeviceTemplate template, String file, String sha256) {
    }

    /** Records the file in templates_seen; the same id@version with other content is refused. */
    private static void remember(JdbcClient jdbc, Loaded l) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Optional<String> knownHash = jdbc.sql("""
                SELECT content_sha256 FROM templates_seen WHERE template_id = :id AND template_version = :v""")
                .param("id", l.template().id()).param("v", l.template().version())
                .query(String.class).optional();
        if (knownHash.isEmpty()) {
            jdbc.sql("""
                    INSERT INTO templates_seen (template_id, template_version, source_file, content_sha256, first_seen_at, last_seen_at)
                    VALUES (:id, :v, :file, :hash, :now, :now)""")
                    .param("id", l.template().id()).param("v", l.template().version())
                    .param("file", l.file()).param("hash", l.sha256()).param("now", now)
                    .update();
        } else if (knownHash.get().equals(l.sha256())) {
            jdbc.sql("""
                    UPDATE templates_seen SET last_seen_at = :now, source_file = :file
                    WHERE template_id = :id AND template_version = :v""")
                    .param("id", l.template().id()).param("v", l.template().version())
                    .param("file", l.file()).param("now", now)
                    .update();
        } else {
            throw new InvalidTemplateException(l.file(), "version", l.template().reference()
                    + " was loaded before with different content; devices may hold the old one, so raise version to publish a change");
        }
    }

    private static List<Path> templateFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".yaml") || f.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("fleetkey.templates-dir: cannot list " + dir.toAbsolutePath(), e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read template " + file.toAbsolutePath(), e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
