package dev.fleetkey.service.system;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Writes who did what, to what, when and from where. It joins the caller's transaction, so an event is
 * kept exactly when the change it describes is. Subjects never carry secrets.
 */
@Component
public class AuditTrail {

    private static final String SYSTEM_ACTOR = "system";
    private final JdbcClient jdbc;

    AuditTrail(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records {@code action} on {@code subject} by the current user (or {@code system}). */
    public void record(String action, String subject) {
        jdbc.sql("""
                INSERT INTO audit_events (occurred_at, actor, action, subject, remote_address)
                VALUES (:at, :actor, :action, :subject, :remote)""")
                .param("at", OffsetDateTime.now(ZoneOffset.UTC))
                .param("actor", currentActor())
                .param("action", action)
                .param("subject", subject)
                .param("remote", remoteAddress())
                .update();
    }

    private static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.isAuthenticated() ? auth.getName() : SYSTEM_ACTOR;
    }

    private static String remoteAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return attributes.getRequest().getRemoteAddr();
        }
        return null;
    }
}
