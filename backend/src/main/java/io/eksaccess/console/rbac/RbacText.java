package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import org.springframework.stereotype.Component;

/** Rules as text for the RBAC pages ({@code @rbacText} in templates). */
@Component("rbacText")
public class RbacText {

    /** One line, kubectl-describe style, as the CLI prints it. */
    public String rule(PolicyRule rule) {
        return line(rule);
    }

    /**
     * One line per rule, kubectl-describe style, for the text output. Here rather than in {@link RbacJson}:
     * the CLI's text answers print it, and loading RbacJson sets up Jackson (~15 ms of a cache hit).
     */
    public static String line(PolicyRule rule) {
        StringBuilder text = new StringBuilder();
        text.append(String.join(",", nonNull(rule.getVerbs())));
        if (!nonNull(rule.getNonResourceURLs()).isEmpty()) {
            text.append(" nonResourceURLs=").append(String.join(",", rule.getNonResourceURLs()));
        }
        if (!nonNull(rule.getResources()).isEmpty() || !nonNull(rule.getApiGroups()).isEmpty()) {
            text.append(" resources=").append(String.join(",", nonNull(rule.getResources())));
            text.append(" apiGroups=").append(String.join(",", nonNull(rule.getApiGroups()).stream()
                    .map(group -> group.isEmpty() ? "\"\"" : group).toList()));
        }
        if (!nonNull(rule.getResourceNames()).isEmpty()) {
            text.append(" resourceNames=").append(String.join(",", rule.getResourceNames()));
        }
        return text.toString();
    }

    private static List<String> nonNull(List<String> values) {
        return values == null ? List.of() : values;
    }

    /** The rule's API groups, the core group written as {@code ""}. */
    public String apiGroups(PolicyRule rule) {
        List<String> groups = rule.getApiGroups() == null ? List.of() : rule.getApiGroups();
        return String.join(", ", groups.stream().map(group -> group.isEmpty() ? "\"\"" : group).toList());
    }
}
