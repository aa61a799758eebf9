package io.eksaccess.console.report.findings;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * SA-001 … SA-003 over ServiceAccounts, Pods and Secret metadata. Findings about pods are grouped
 * by the ServiceAccount concerned, so they keep their identity (and acknowledgement) when pods are
 * replaced.
 */
final class WorkloadRules {

    static final String IRSA_ANNOTATION = "eks.amazonaws.com/role-arn";
    static final String TOKEN_SECRET_TYPE = "kubernetes.io/service-account-token";
    private static final String MIRROR_POD = "kubernetes.io/config.mirror";

    private WorkloadRules() {}

    static void check(FindingsInput input, List<SecurityFinding> into) {
        defaultServiceAccounts(input, into);
        input.secrets().ifPresent(secrets -> tokenSecrets(secrets, into));
        rootPodsWithIrsa(input, into);
    }

    /** SA-001: per namespace, its default ServiceAccount auto-mounting a token and the pods that use it. */
    private static void defaultServiceAccounts(FindingsInput input, List<SecurityFinding> into) {
        Map<String, List<String>> podsByNamespace = new TreeMap<>();
        for (Pod pod : input.pods()) {
            if (isMirror(pod)) {
                continue; // static pods have no ServiceAccount
            }
            if (serviceAccountOf(pod).equals("default")) {
                podsByNamespace.computeIfAbsent(pod.getMetadata().getNamespace(), ns -> new ArrayList<>())
                        .add(pod.getMetadata().getName());
            }
        }
        Map<String, Boolean> automounting = new TreeMap<>();
        for (ServiceAccount account : input.serviceAccounts()) {
            if (account.getMetadata().getName().equals("default")) {
                automounting.put(account.getMetadata().getNamespace(), !Boolean.FALSE.equals(account.getAutomountServiceAccountToken()));
            }
        }
        java.util.SortedSet<String> namespaces = new java.util.TreeSet<>(automounting.keySet());
        namespaces.addAll(podsByNamespace.keySet());
        for (String namespace : namespaces) {
            boolean mounts = automounting.getOrDefault(namespace, false);
            List<String> pods = podsByNamespace.getOrDefault(namespace, List.of());
            if (!mounts && pods.isEmpty()) {
                continue;
            }
            List<String> what = new ArrayList<>();
            if (mounts) {
                what.add("it auto-mounts its token into every pod that does not opt out");
            }
            if (!pods.isEmpty()) {
                what.add(pods.size() + " pod(s) use it: " + abbreviate(pods));
            }
            String fix = mounts && !pods.isEmpty()
                    ? " Set automountServiceAccountToken: false on it and give each application its own ServiceAccount."
                    : mounts ? " Set automountServiceAccountToken: false on it."
                    : " Give each application its own ServiceAccount.";
            into.add(FindingRule.SA_001.about("ServiceAccount/" + namespace + "/default",
                    "The default ServiceAccount of namespace " + namespace + ": " + String.join("; ", what) + "." + fix));
        }
    }

    /** SA-002: only metadata and type are read; a token never leaves the dump it came in. */
    private static void tokenSecrets(List<Secret> secrets, List<SecurityFinding> into) {
        for (Secret secret : secrets) {
            if (!TOKEN_SECRET_TYPE.equals(secret.getType())) {
                continue;
            }
            String namespace = secret.getMetadata().getNamespace();
            String account = Optional.ofNullable(secret.getMetadata().getAnnotations())
                    .map(a -> a.get("kubernetes.io/service-account.name")).orElse("?");
            into.add(FindingRule.SA_002.about("Secret/" + namespace + "/" + secret.getMetadata().getName(),
                    "Secret " + namespace + "/" + secret.getMetadata().getName() + " holds a long-lived token of"
                            + " ServiceAccount " + account + " that never expires and works from anywhere. Delete it"
                            + " and use short-lived tokens (projected volumes, kubectl create token) instead."));
        }
    }

    /** SA-003: a pod holding an IRSA role with a container that may run as root. */
    private static void rootPodsWithIrsa(FindingsInput input, List<SecurityFinding> into) {
        Map<String, String> irsaRoles = new TreeMap<>();
        for (ServiceAccount account : input.serviceAccounts()) {
            String role = irsaRoleOf(account);
            if (role != null) {
                irsaRoles.put(account.getMetadata().getNamespace() + "/" + account.getMetadata().getName(), role);
            }
        }
        Map<String, List<String>> rootPodsByAccount = new TreeMap<>();
        Map<String, String> roleByAccount = new TreeMap<>();
        for (Pod pod : input.pods()) {
            if (pod.getSpec() == null) {
                continue;
            }
            String key = pod.getMetadata().getNamespace() + "/" + serviceAccountOf(pod);
            String role = irsaRoles.getOrDefault(key, injectedRole(pod));
            if (role == null) {
                continue;
            }
            List<String> root = rootContainers(pod);
            if (!root.isEmpty()) {
                rootPodsByAccount.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(pod.getMetadata().getName() + " (" + String.join(", ", root) + ")");
                roleByAccount.put(key, role);
            }
        }
        rootPodsByAccount.forEach((key, pods) -> into.add(FindingRule.SA_003.about("ServiceAccount/" + key,
                "Pods of ServiceAccount " + key + " hold IAM role " + roleByAccount.get(key) + " and may run as root: "
                        + abbreviate(pods) + ". A root process can read the node's and other pods' credentials once"
                        + " it escapes. Set securityContext.runAsNonRoot: true (and a non-zero runAsUser).")));
    }

    static String irsaRoleOf(ServiceAccount account) {
        Map<String, String> annotations = account.getMetadata().getAnnotations();
        String role = annotations == null ? null : annotations.get(IRSA_ANNOTATION);
        return role == null || role.isBlank() ? null : role.strip();
    }

    /** The role the IRSA webhook injected (AWS_ROLE_ARN), for pods whose ServiceAccount is not at hand. */
    private static String injectedRole(Pod pod) {
        return containers(pod).flatMap(c -> c.getEnv() == null ? Stream.<EnvVar>empty() : c.getEnv().stream())
                .filter(env -> "AWS_ROLE_ARN".equals(env.getName()) && env.getValue() != null && !env.getValue().isBlank())
                .map(EnvVar::getValue).findFirst().orElse(null);
    }

    /**
     * Containers that may run as UID 0: neither a non-zero runAsUser nor runAsNonRoot (which the
     * kubelet enforces) on the container or the pod. An explicit runAsUser: 0 is root whatever else says.
     */
    static List<String> rootContainers(Pod pod) {
        PodSecurityContext podContext = pod.getSpec().getSecurityContext();
        Long podUser = podContext == null ? null : podContext.getRunAsUser();
        Boolean podNonRoot = podContext == null ? null : podContext.getRunAsNonRoot();
        return containers(pod).filter(container -> {
            SecurityContext context = container.getSecurityContext();
            Long user = context != null && context.getRunAsUser() != null ? context.getRunAsUser() : podUser;
            Boolean nonRoot = context != null && context.getRunAsNonRoot() != null ? context.getRunAsNonRoot() : podNonRoot;
            if (user != null) {
                return user == 0;
            }
            return !Boolean.TRUE.equals(nonRoot);
        }).map(Container::getName).toList();
    }

    private static Stream<Container> containers(Pod pod) {
        Stream<Container> init = pod.getSpec().getInitContainers() == null ? Stream.empty() : pod.getSpec().getInitContainers().stream();
        Stream<Container> main = pod.getSpec().getContainers() == null ? Stream.empty() : pod.getSpec().getContainers().stream();
        return Stream.concat(init, main);
    }

    private static String serviceAccountOf(Pod pod) {
        String name = pod.getSpec() == null ? null : pod.getSpec().getServiceAccountName();
        if (name == null || name.isEmpty()) {
            name = pod.getSpec() == null ? null : pod.getSpec().getServiceAccount(); // the deprecated alias
        }
        return name == null || name.isEmpty() ? "default" : name;
    }

    private static boolean isMirror(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(MIRROR_POD);
    }

    private static String abbreviate(List<String> names) {
        List<String> sorted = names.stream().sorted().toList();
        return sorted.size() <= 5 ? String.join(", ", sorted)
                : String.join(", ", sorted.subList(0, 5)) + " and " + (sorted.size() - 5) + " more";
    }
}
