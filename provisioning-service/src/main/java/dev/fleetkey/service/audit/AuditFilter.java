package dev.fleetkey.service.audit;

import java.time.Instant;

/**
 * What to look for in the audit log; null or blank fields match everything.
 *
 * @param actor      exact user (or station) name
 * @param subjectTerm text the subject contains, e.g. {@code device:00-11-22-FF-FE-33-44-55}
 * @param action     an action, or a prefix ending in '.', e.g. {@code device.}
 * @param from       inclusive lower bound of the time
 * @param to         exclusive upper bound of the time
 */
public record AuditFilter(String actor, String subjectTerm, String action, Instant from, Instant to) {

    public static AuditFilter none() {
        return new AuditFilter(null, null, null, null, null);
    }
}
