package io.eksaccess.console.request;

import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.Change;
import io.eksaccess.console.apply.MappingChange;
import java.time.Instant;
import java.util.List;

/**
 * One access request as stored. {@code outcomeMessage} says in words how the apply went (or why a
 * request was rejected, failed or was revoked); {@code inverse} undoes the applied change at grant end.
 */
public record AccessRequest(
        long id,
        String cluster,
        String requesterSubject,
        String requesterName,
        Change change,
        String justification,
        Integer durationHours,
        RequestState state,
        boolean breakGlass,
        boolean overrideLockout,
        int approvalsNeeded,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Instant resolvedAt,
        Instant appliedAt,
        Instant grantEndsAt,
        String outcomeMessage,
        List<String> outcomeDiff,
        String beforeHash,
        String afterHash,
        Change inverse,
        String revokeMessage) {

    public ChangeKind kind() {
        return ChangeKind.of(change);
    }

    public String principal() {
        return change.principal();
    }

    public String username() {
        if (change instanceof MappingChange.MapRole c) {
            return c.entry().username();
        } else if (change instanceof MappingChange.MapUser c) {
            return c.entry().username();
        } else if (change instanceof AccessEntryChange.CreateAccessEntry c) {
            return c.username();
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry c) {
            return c.username();
        }
        return null;
    }

    public List<String> groups() {
        if (change instanceof MappingChange.MapRole c) {
            return c.entry().groups();
        } else if (change instanceof MappingChange.MapUser c) {
            return c.entry().groups();
        } else if (change instanceof AccessEntryChange.CreateAccessEntry c) {
            return c.kubernetesGroups();
        } else if (change instanceof AccessEntryChange.UpdateAccessEntry c) {
            return c.kubernetesGroups();
        }
        return List.of();
    }

    public boolean filedBy(Person person) {
        return requesterSubject.equals(person.subject());
    }

    /** What is asked, in words ("map arn as user into groups"). */
    public String summary() {
        return AccessRequests.describe(change);
    }

    /** A new-request link prefilled with this change (the "extend" action). */
    public String extendLink() {
        return AccessRequests.extendLink(this);
    }

    public String link() {
        return "/requests/" + id;
    }
}
