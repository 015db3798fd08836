package dev.fleetkey.service.audit;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reading the audit log: filtered pages, newest first. */
@Repository
public class AuditEntries {

    private final JdbcClient jdbc;

    AuditEntries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A page of matching entries, newest first. */
    public List<AuditEntry> find(AuditFilter filter, int offset, int limit) {
        Where where = where(filter);
        JdbcClient.StatementSpec spec = jdbc.sql("SELECT " + AuditChain.COLUMNS + " FROM audit_events" + where.sql
                + " ORDER BY id DESC LIMIT :limit OFFSET :offset");
        where.params.forEach(spec::param);
        return spec.param("limit", limit).param("offset", offset).query(AuditChain::entry).list();
    }

    public long count(AuditFilter filter) {
        Where where = where(filter);
        JdbcClient.StatementSpec spec = jdbc.sql("SELECT COUNT(*) FROM audit_events" + where.sql);
        where.params.forEach(spec::param);
        return spec.query(Long.class).single();
    }

    public List<AuditEntry> latest(int limit) {
        return find(AuditFilter.none(), 0, limit);
    }

    /** The distinct actions seen, for a filter's choices. */
    public List<String> actions() {
        return jdbc.sql("SELECT DISTINCT action FROM audit_events ORDER BY action").query(String.class).list();
    }

    private record Where(String sql, Map<String, Object> params) {
    }

    private static Where where(AuditFilter f) {
        List<String> terms = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (present(f.actor())) {
            terms.add("actor = :actor");
            params.put("actor", f.actor().trim());
        }
        if (present(f.subjectTerm())) {
            terms.add("subject LIKE :subject ESCAPE '\\'");
            params.put("subject", "%" + likeEscape(f.subjectTerm().trim()) + "%");
        }
        if (present(f.action())) {
            String action = f.action().trim();
            if (action.endsWith(".")) {
                terms.add("action LIKE :action ESCAPE '\\'");
                params.put("action", likeEscape(action) + "%");
            } else {
                terms.add("action = :action");
                params.put("action", action);
            }
        }
        if (f.from() != null) {
            terms.add("occurred_at >= :from");
            params.put("from", f.from().atOffset(ZoneOffset.UTC));
        }
        if (f.to() != null) {
            terms.add("occurred_at < :to");
            params.put("to", f.to().atOffset(ZoneOffset.UTC));
        }
        return new Where(terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms), params);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
