package org.kmsconf.kms.audit;

import java.time.Instant;

/**
 * One audited event: who (authenticated user, initiator identity, remote address), what (event, the identities
 * concerned), the outcome, and why (MIKEY error code and reason for a refusal). Never key bytes.
 *
 * @param event REQUEST, RESOLVE, MALFORMED (not parseable as a KMS request) or ADMIN
 * @param outcome ISSUED, RESOLVED, REFUSED or CHANGED
 * @param userId the authenticated KMS user, null if authentication did not get that far
 * @param initiator the IDRi of the request / of the ticket being resolved
 * @param subject the other identities: the requested IDRr list, or the resolver's IDRr
 * @param errorCode MIKEY error code of a refusal, else null
 */
public record AuditRecord(
        Instant at,
        String event,
        String outcome,
        String userId,
        String initiator,
        String subject,
        Integer errorCode,
        String reason,
        String remote) {

    public static AuditRecord admin(String what, String userId, String subject) {
        return new AuditRecord(Instant.now(), "ADMIN", "CHANGED", userId, null, subject, null, what, null);
    }

    /** One log line, key=value, for the audit logger and {@code kms audit}; every field escaped ({@link LogSafe}). */
    public String toLogLine() {
        StringBuilder b = new StringBuilder().append(event).append(' ').append(outcome);
        append(b, "user", userId);
        append(b, "initiator", initiator);
        append(b, "subject", subject);
        append(b, "error", errorCode == null ? null : errorCode.toString());
        append(b, "reason", reason);
        append(b, "remote", remote);
        return b.toString();
    }

    private static void append(StringBuilder b, String k, String v) {
        if (v != null) {
            b.append(' ').append(k).append('=');
            // a peer chose most of these values: no control character, line break or terminal escape gets through
            String e = LogSafe.escape(v).replace('"', '\'');
            boolean quote = e.indexOf(' ') >= 0 || e.indexOf('=') >= 0 || e.isEmpty();
            b.append(quote ? "\"" : "").append(e).append(quote ? "\"" : "");
        }
    }
}
