package io.eksaccess.console.audit;

/**
 * Who did it.
 *
 * @param subject the OIDC {@code sub}, or {@code system:<component>} for the console itself
 * @param sourceIp where the request came from (null for the console itself)
 */
public record AuditActor(String subject, String displayName, String sourceIp) {

    public static AuditActor of(io.eksaccess.console.identity.CurrentUser user, String sourceIp) {
        return new AuditActor(user.subject(), user.displayName(), sourceIp);
    }

    public static AuditActor of(io.eksaccess.console.identity.ActingPerson person) {
        return of(person.user(), person.sourceIp());
    }

    public static AuditActor system(String component) {
        return new AuditActor("system:" + component, "EKS Access Console (" + component + ")", null);
    }
}
