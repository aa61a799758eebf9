package io.eksaccess.console.request;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The new-request form as it is posted (and prefilled by links such as "extend"), bound with
 * {@code @ModelAttribute}; its constraints give field errors next to the field. The lengths of the
 * ARN, username and justification stay {@link RequestLimits}' (one message for the form and the API). What the fields
 * must say for their kind is {@link ChangeFields}'; what EKS or aws-auth would refuse is the planners'.
 *
 * @param arn the IAM ARN (the account id for account kinds); access-entry kinds call it principalArn
 * @param groups comma-separated, as are {@code namespaces}
 */
public record NewRequestForm(
        @NotBlank(message = "{request.form.cluster.required}") String cluster,
        @NotNull(message = "{request.form.kind.required}") ChangeKind kind,
        String arn,
        String username,
        @Size(max = ChangeForm.MAX_GROUPS_TEXT, message = "{request.form.groups.size}") String groups,
        Integer duration,
        @NotBlank(message = "{request.form.justification.required}") String justification,
        String type,
        @Size(max = RequestLimits.MAX_ARN, message = "{request.form.policyArn.size}") String policyArn,
        String scopeType,
        @Size(max = ChangeForm.MAX_NAMESPACES_TEXT, message = "{request.form.namespaces.size}") String namespaces,
        String authenticationMode) implements ChangeForm {

    public NewRequestForm {
        cluster = ChangeForm.text(cluster);
        arn = ChangeForm.text(arn);
        username = ChangeForm.text(username);
        groups = ChangeForm.text(groups);
        justification = ChangeForm.text(justification);
        type = ChangeForm.type(type);
        policyArn = ChangeForm.text(policyArn);
        scopeType = ChangeForm.scopeType(scopeType);
        namespaces = ChangeForm.text(namespaces);
        authenticationMode = ChangeForm.text(authenticationMode);
    }

    NewRequestForm withUsername(String suggested) {
        return new NewRequestForm(cluster, kind, arn, suggested, groups, duration, justification, type, policyArn,
                scopeType, namespaces, authenticationMode);
    }

    NewRequestForm withKind(ChangeKind chosen) {
        return new NewRequestForm(cluster, chosen, arn, username, groups, duration, justification, type, policyArn,
                scopeType, namespaces, authenticationMode);
    }
}
