package dev.fleetkey.service.templates;

import dev.fleetkey.bundle.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Rows of {@code template_versions}: template versions saved from the admin UI's editor, as YAML. */
final class SavedTemplateVersions {

    static final String SOURCE = "editor";

    private final JdbcClient jdbc;

    SavedTemplateVersions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every saved version, parsed; a row that no longer parses stops the start, naming it. */
    List<DeviceTemplate> loadAll() {
        return jdbc.sql("SELECT template_id, template_version, yaml FROM template_versions ORDER BY template_id, template_version")
                .query((rs, n) -> TemplateParser.parse(SOURCE + " (saved " + rs.getString(1) + "@" + rs.getInt(2) + ")",
                        rs.getString(3).getBytes(StandardCharsets.UTF_8)))
                .list();
    }

    /** How many versions are saved; versions are never deleted, so a higher count means new ones. */
    int count() {
        return jdbc.sql("SELECT COUNT(*) FROM template_versions").query(Integer.class).single();
    }

    /** Highest saved version of {@code id}, also one saved by another instance sharing the database; 0 for none. */
    int highestVersion(String id) {
        return jdbc.sql("SELECT COALESCE(MAX(template_version), 0) FROM template_versions WHERE template_id = :id")
                .param("id", id).query(Integer.class).single();
    }

    void insert(DeviceTemplate template, String yaml, String savedBy) {
        jdbc.sql("""
                INSERT INTO template_versions (template_id, template_version, yaml, content_sha256, saved_by, saved_at)
                VALUES (:id, :v, :yaml, :hash, :by, :at)""")
                .param("id", template.id()).param("v", template.version()).param("yaml", yaml).param("hash", Sha256.hex(yaml))
                .param("by", savedBy)
                .param("at", Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC))
                .update();
    }
}
