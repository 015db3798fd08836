package dev.fleetkey.service.audit;

import dev.fleetkey.service.audit.AuditChain;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Writes who did what, to what, when and from where. It joins the caller's transaction, so an event is
 * kept exactly when the change it describes is. Subjects never carry secrets. Entries go into the
 * keyed, checkpointed chain of {@link AuditChain} (HMAC under a key-store key), written just before the
 * transaction commits so the chain head is locked only briefly.
 */
@Component
public class AuditTrail {

    private static final String SYSTEM_ACTOR = "system";
    private final AuditChain chain;

    AuditTrail(AuditChain chain) {
        this.chain = chain;
    }

    /** Records {@code action} on {@code subject} by the current user (or {@code system}). */
    public void record(String action, String subject) {
        chain.appendAtCommit(currentActor(), action, subject, remoteAddress());
    }

    /** Records {@code action} by a named actor, e.g. the user name tried at a failed login. */
    public void recordAs(String actor, String action, String subject) {
        chain.appendAtCommit(actor, action, subject, remoteAddress());
    }

    /**
     * A mark of the entries the current transaction has yet to write; take it with a savepoint and pass it to
     * {@link #forgetSince} when rolling back to that savepoint.
     */
    public int pendingMark() {
        return chain.pendingEntries();
    }

    /** Forgets the entries recorded since {@code mark}: the transaction rolled back to a savepoint taken then. */
    public void forgetSince(int mark) {
        chain.discardPendingAfter(mark);
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
