package dev.fleetkey.service.templates;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Template versions saved from the editor ({@code template_versions}), and the files the catalog has
 * loaded ({@code templates_seen}) so their text can be shown. Read-only here: the template catalog saves
 * versions and serves them for provisioning.
 */
@Repository
class TemplateVersions {

    private final JdbcClient jdbc;

    TemplateVersions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Saved(String id, int version, String yaml, String sha256, String savedBy, Instant savedAt) {
        public String reference() {
            return id + "@" + version;
        }
    }

    List<Saved> all() {
        return jdbc.sql("SELECT template_id, template_version, yaml, content_sha256, saved_by, saved_at FROM template_versions"
                        + " ORDER BY template_id, template_version")
                .query((rs, n) -> new Saved(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getObject(6, OffsetDateTime.class).toInstant()))
                .list();
    }

    Optional<Saved> find(String id, int version) {
        return all().stream().filter(s -> s.id().equals(id) && s.version() == version).findFirst();
    }

    /** The file a loaded template came from, as recorded at start-up. */
    Optional<String> sourceFile(String id, int version) {
        return jdbc.sql("SELECT source_file FROM templates_seen WHERE template_id = :id AND template_version = :v")
                .param("id", id).param("v", version).query(String.class).optional();
    }
}
