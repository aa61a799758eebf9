package io.eksaccess.console.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hints for what people used to kubectl, kubectl-who-can or eksctl type by habit: the usage error
 * stays a usage error (exit 2), and says what this CLI takes instead.
 */
final class KubectlHabits {

    static final String FROM_HINT = " PATH (a cluster dump, e.g. kubectl get clusterroles,clusterrolebindings,roles,rolebindings"
            + " -A -o yaml > rbac.yaml)";

    /** Subcommands people type as commands, and the command they belong to. */
    private static final Map<String, String> SUBCOMMANDS = Map.of("validate", "aws-auth validate", "whois", "aws-auth whois",
            "verify", "audit verify");

    private KubectlHabits() {}

    /** What to write instead of an unknown option, or "" (a leading "; " when there is a hint). */
    static String hint(String option, Set<String> allowed) {
        return switch (option) {
            case "-A", "--all-namespaces" -> allowed.contains("--namespace")
                    ? ": without -n the question is cluster-wide (only ClusterRoleBindings count, as the API server"
                            + " answers it); ask about one namespace with -n NS"
                    : "";
            case "-o", "--output" -> ": write --json for JSON";
            case "--as" -> allowed.contains("--user") ? ": give the user with --user U" : "";
            case "--as-group" -> allowed.contains("--group") ? ": give each group with --group G" : "";
            case "--kubeconfig", "--context" -> allowed.contains("--from")
                    ? ": this command reads a dump, not a cluster: --from" + FROM_HINT
                    : "";
            default -> "";
        };
    }

    /** "; did you mean …?" for a mistyped command or a subcommand typed as one, or "". */
    static String commandHint(String typed, List<String> commands) {
        String subcommand = SUBCOMMANDS.get(typed);
        if (subcommand != null) {
            return "; did you mean '" + subcommand + "'?";
        }
        for (String command : commands) {
            if (distance(typed, command) <= 2) {
                return "; did you mean '" + command + "'?";
            }
        }
        return "";
    }

    /** Levenshtein distance, for short names only. */
    static int distance(String a, String b) {
        if (a.length() > 40 || b.length() > 40) {
            return Integer.MAX_VALUE;
        }
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
