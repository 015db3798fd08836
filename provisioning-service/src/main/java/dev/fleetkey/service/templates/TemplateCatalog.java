package dev.fleetkey.service.templates;

import dev.fleetkey.bundle.Sha256;
import dev.fleetkey.service.audit.AuditTrail;
import dev.fleetkey.service.system.FleetkeyProperties;
import dev.fleetkey.service.system.StartupProblem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every template in {@code fleetkey.templates-dir}, loaded once at start-up, and every version saved from
 * the admin UI's editor (table {@code template_versions}). One bad file stops the start with a message naming
 * the file and the field, rather than serving a product line half-defined. Files are read-only; a saved
 * version must be higher than every version of its id, so it never shadows what devices already hold.
 * Saved versions are kept in memory, because every provisioning looks its template up, and read again whenever
 * the table holds more rows than were read (versions are never deleted), so a version saved through another
 * service instance on the same database serves provisioning here at once.
 */
@Component
public class TemplateCatalog {

    private static final Logger log = LoggerFactory.getLogger(TemplateCatalog.class);

    private final Map<String, DeviceTemplate> byReference = new LinkedHashMap<>();
    private final SavedTemplateVersions saved;
    private final TransactionTemplate transaction;
    private final AuditTrail audit;
    /** Saved versions by reference and how many rows they were read from; replaced whole so readers never lock. */
    private volatile SavedSnapshot savedSnapshot;

    TemplateCatalog(FleetkeyProperties properties, JdbcClient jdbc, TransactionTemplate transaction, AuditTrail audit) {
        this.saved = new SavedTemplateVersions(jdbc);
        this.transaction = transaction;
        this.audit = audit;
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
            loaded.add(new Loaded(template, shown, Sha256.hex(content)));
        }
        transaction.executeWithoutResult(status -> loaded.forEach(l -> remember(jdbc, l)));
        Map<String, DeviceTemplate> fromEditor = new LinkedHashMap<>();
        for (DeviceTemplate template : saved.loadAll()) {
            String file = sourceOf.get(template.reference());
            if (file != null) {
                throw new InvalidTemplateException(file, "version", template.reference() + " was saved from the editor"
                        + " before this file defined it; raise the file's version above the saved one");
            }
            fromEditor.put(template.reference(), template);
        }
        savedSnapshot = new SavedSnapshot(fromEditor.size(), Map.copyOf(fromEditor));
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
            DeviceTemplate file = byReference.get(reference);
            if (file != null) {
                return Optional.of(file);
            }
            // a saved version never changes: the database is asked only for one this instance has not seen yet
            DeviceTemplate known = savedSnapshot.byReference().get(reference);
            return known != null ? Optional.of(known) : Optional.ofNullable(savedByReference().get(reference));
        }
        return all().stream().filter(t -> t.id().equals(reference)).max(Comparator.comparingInt(DeviceTemplate::version));
    }

    /** All templates: the files in file-name order, then the saved versions by id and version. */
    public List<DeviceTemplate> all() {
        List<DeviceTemplate> all = new ArrayList<>(byReference.values());
        savedByReference().values().stream()
                .sorted(Comparator.comparing(DeviceTemplate::id).thenComparingInt(DeviceTemplate::version))
                .forEach(all::add);
        return List.copyOf(all);
    }

    /** The templates loaded from files (read-only). */
    public List<DeviceTemplate> files() {
        return List.copyOf(byReference.values());
    }

    /** Whether {@code reference} ({@code id@version}) is a saved version rather than a file. */
    public boolean isSaved(String reference) {
        return savedByReference().containsKey(reference);
    }

    /**
     * Validates {@code yaml} and saves it as a new version, audited, available for provisioning at once.
     *
     * @throws InvalidTemplateException naming the field: a parse error, or a version not above every
     *     existing version of its id (the message names the next free one)
     */
    public synchronized DeviceTemplate save(String source, String yaml, String savedBy) {
        DeviceTemplate template = checkNewVersion(source, yaml);
        try {
            transaction.executeWithoutResult(status -> {
                saved.insert(template, yaml, savedBy);
                audit.record("template.saved", "template:" + template.reference());
            });
        } catch (DuplicateKeyException raced) {
            throw new InvalidTemplateException(source, "version", template.reference() + " was saved a moment ago"
                    + " (through another instance); give this one version " + (template.version() + 1) + " or higher");
        }
        savedByReference();
        return template;
    }

    /** The saved versions, read again if another instance (or this one) saved one since they were last read. */
    private Map<String, DeviceTemplate> savedByReference() {
        SavedSnapshot known = savedSnapshot;
        int rows = saved.count();
        if (rows == known.rows()) {
            return known.byReference();
        }
        Map<String, DeviceTemplate> fresh = new LinkedHashMap<>();
        saved.loadAll().stream().filter(t -> !byReference.containsKey(t.reference()))
                .forEach(t -> fresh.put(t.reference(), t));
        SavedSnapshot next = new SavedSnapshot(rows, Map.copyOf(fresh));
        savedSnapshot = next;
        return next.byReference();
    }

    private record SavedSnapshot(int rows, Map<String, DeviceTemplate> byReference) {
    }

    /** Parses {@code yaml} and checks it could be saved, without saving it. */
    public DeviceTemplate checkNewVersion(String source, String yaml) {
        byte[] content = yaml.getBytes(StandardCharsets.UTF_8);
        DeviceTemplate template = TemplateParser.parse(source, content);
        int highest = Math.max(all().stream().filter(t -> t.id().equals(template.id()))
                .mapToInt(DeviceTemplate::version).max().orElse(0), saved.highestVersion(template.id()));
        if (template.version() <= highest) {
            throw new InvalidTemplateException(source, "version", template.id() + " has version " + highest
                    + " already; give this one version " + (highest + 1) + " or higher (existing versions are read-only)",
                    TemplateLines.lineOf(content, "version"));
        }
        return template;
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
}
