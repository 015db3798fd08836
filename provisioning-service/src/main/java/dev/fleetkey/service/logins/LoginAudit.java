package dev.fleetkey.service.logins;

import dev.fleetkey.service.audit.AuditTrail;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Logins, failed logins and logouts go into the audit log. Successful HTTP Basic calls are not logged
 * here (every API request authenticates; the API's own changes are audited); failed ones are.
 */
@Component
class LoginAudit {

    private static final int MAX_NAME = 64;
    private final AuditTrail audit;

    LoginAudit(AuditTrail audit) {
        this.audit = audit;
    }

    @EventListener
    void loggedIn(InteractiveAuthenticationSuccessEvent event) {
        audit.recordAs(event.getAuthentication().getName(), "user.login", "user:" + event.getAuthentication().getName());
    }

    @EventListener
    void loginFailed(AbstractAuthenticationFailureEvent event) {
        // the name tried is shown cleaned and cut short: it is whatever the client typed
        String tried = String.valueOf(event.getAuthentication().getName()).replaceAll("[^\\p{Alnum}._@-]", "?");
        if (tried.length() > MAX_NAME) {
            tried = tried.substring(0, MAX_NAME) + "...";
        }
        audit.recordAs("anonymous", "user.login-failed", "user:" + tried);
    }

    @EventListener
    void loggedOut(LogoutSuccessEvent event) {
        audit.recordAs(event.getAuthentication().getName(), "user.logout", "user:" + event.getAuthentication().getName());
    }
}
