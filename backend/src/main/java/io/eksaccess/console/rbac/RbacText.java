package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.springframework.stereotype.Component;

/** Rules as text for the RBAC pages ({@code @rbacText} in templates). */
@Component("rbacText")
public class RbacText {

    /** One line, kubectl-describe style, as the CLI prints it. */
    public String rule(PolicyRule rule) {
        return RbacJson.ruleText(rule);
    }

    /** The rule's API groups, the core group written as {@code ""}. */
    public String apiGroups(PolicyRule rule) {
        List<String> groups = rule.getApiGroups() == null ? List.of() : rule.getApiGroups();
        return String.join(", ", groups.stream().map(group -> group.isEmpty() ? "\"\"" : group).toList());
    }
}
