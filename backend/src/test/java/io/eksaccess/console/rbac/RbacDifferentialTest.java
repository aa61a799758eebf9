package io.eksaccess.console.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.authorization.v1.NonResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The engine against the real kube-apiserver's authorizer (DESIGN invariant 7). For each seeded
 * random world: load it into the API server, build the index from every RBAC object the server has
 * (the bootstrap policy and other tests' objects included), then ask random questions of both:
 * every can-i must equal a SubjectAccessReview, and every who-can subject set must equal the set of
 * candidates (every subject in any binding, plus unbound ones) that SubjectAccessReview allows,
 * a group being probed as an otherwise unbound user in just that group.
 *
 * <p>Aggregation: this test server runs no kube-controller-manager, so no aggregated ClusterRole
 * (neither ours nor the built-in admin/edit/view) has rules. The engine computes them from the
 * unfilled snapshot; the test then writes those rules into the server, as the controller would,
 * and checks that the engine, rebuilt from the filled snapshot, computes the same (idempotence)
 * before asking questions. The built-in roles' original rules are put back afterwards. That the
 * aggregated rules are the controller's is checked by unit tests (RbacIndexTest).
 *
 * <p>Seed: random per run, printed, and in every failure message; rerun with
 * {@code -Drbac.seed=N}. Size: {@code -Drbac.canI=N -Drbac.whoCan=N} per world.
 */
@RunsAlongside(seconds = 29)
@ResourceLock(KubeApiServer.ALONGSIDE_LOCK)
class RbacDifferentialTest {

    private static final int WORLDS = 2;
    private static final int CAN_I_PER_WORLD = Integer.getInteger("rbac.canI", 2600);
    private static final int WHO_CAN_PER_WORLD = Integer.getInteger("rbac.whoCan", 120);
    private static final long SEED = Long.getLong("rbac.seed", new Random().nextLong());

    private static final List<String> VERBS = List.of("get", "list", "watch", "create", "update", "delete", "*", "get*",
            "impersonate", "post");
    private static final List<String> GROUPS = List.of("", "", "", "apps", "x.example.com", "app*", "*");
    private static final List<String> RESOURCES = List.of("pods", "pods", "deployments", "secrets", "nodes", "configmaps",
            "*", "pod");
    private static final List<String> SUBRESOURCES = List.of("", "", "", "log", "status", "exec", "scale", "*");
    private static final List<String> NAMES = List.of("", "", "a", "b", "c");
    private static final List<String> URLS = List.of("/healthz", "/healthz/etcd", "/healthzx", "/api", "/apis",
            "/apis/apps", "/version", "/version/", "/metrics", "/logs/x", "/logs", "/x", "/openapi/v2", "/livez", "/readyz", "/");

    private static KubeApiServer server;
    private static final Map<String, List<PolicyRule>> originalRules = new HashMap<>();
    private static ExecutorService pool;
    private static final java.util.concurrent.atomic.AtomicInteger allowedCount = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger grantedSubjects = new java.util.concurrent.atomic.AtomicInteger();
    /** SubjectAccessReviews the who-can half asked (one per candidate per question): where the time goes. */
    private static final java.util.concurrent.atomic.AtomicInteger whoCanReviews = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void start() {
        server = KubeApiServer.alongside();
        pool = Executors.newFixedThreadPool(4);
        System.out.println("RbacDifferentialTest seed " + SEED + " (rerun with -Drbac.seed=" + SEED + ")");
    }

    @AfterAll
    static void restoreBuiltInAggregatedRoles() {
        pool.shutdownNow();
        try (KubernetesClient client = server.adminClient()) {
            originalRules.forEach((name, rules) -> client.rbac().clusterRoles().withName(name).edit(role -> {
                role.setRules(rules);
                return role;
            }));
        }
    }

    @Test
    void answersEqualSubjectAccessReviews() throws Exception {
        List<String> mismatches = Collections.synchronizedList(new ArrayList<>());
        int asked = 0;
        long began = System.nanoTime();
        for (int w = 0; w < WORLDS; w++) {
            Random random = new Random(SEED + w);
            RbacWorld world = new RbacWorld("rw" + Long.toHexString(SEED & 0xffffff) + "w" + w, random);
            try (KubernetesClient client = server.adminClient()) {
                world.objects.forEach(object -> client.resource(object).forceConflicts().serverSideApply());
                RbacIndex index = fillAggregatedRoles(client);
                asked += ask(world, index, random, mismatches);
                world.objects.stream().filter(object -> !(object instanceof Namespace))
                        .forEach(object -> client.resource(object).delete());
            }
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        System.out.printf("RbacDifferentialTest seed %d: %d questions (%d can-i, %d allowed; %d who-can, %d subjects"
                + " found in all, %d SubjectAccessReviews for them) in %d ms, %d mismatches%n", SEED, asked,
                WORLDS * CAN_I_PER_WORLD, allowedCount.get(), WORLDS * WHO_CAN_PER_WORLD, grantedSubjects.get(),
                whoCanReviews.get(), millis, mismatches.size());
        mismatches.stream().limit(30).forEach(System.out::println);
        assertThat(mismatches).as("mismatches with SubjectAccessReview (seed %d, rerun with -Drbac.seed=%d)", SEED, SEED)
                .isEmpty();
        assertThat(asked).isGreaterThanOrEqualTo(5000);
    }

    /** Writes the engine's aggregated rules into the server, then checks the engine agrees with the filled snapshot. */
    private static RbacIndex fillAggregatedRoles(KubernetesClient client) {
        RbacIndex unfilled = snapshot(client);
        for (ClusterRole role : client.rbac().clusterRoles().list().getItems()) {
            String name = role.getMetadata().getName();
            List<PolicyRule> rules = unfilled.clusterRoleRules(name);
            if (role.getAggregationRule() != null && !rules.equals(rulesOf(role))) {
                if (!name.startsWith("rw")) {
                    originalRules.putIfAbsent(name, role.getRules());
                }
                client.rbac().clusterRoles().withName(name).edit(current -> {
                    current.setRules(rules);
                    return current;
                });
            }
        }
        RbacIndex filled = snapshot(client);
        for (ClusterRole role : client.rbac().clusterRoles().list().getItems()) {
            assertThat(filled.clusterRoleRules(role.getMetadata().getName()))
                    .as("aggregation of %s is idempotent (seed %d)", role.getMetadata().getName(), SEED)
                    .isEqualTo(rulesOf(role));
        }
        return filled;
    }

    /** The server leaves out an empty rules list. */
    private static List<PolicyRule> rulesOf(ClusterRole role) {
        return role.getRules() == null ? List.of() : role.getRules();
    }

    /** Every RBAC object the server has, as the console's cache would hold them. */
    private static RbacIndex snapshot(KubernetesClient client) {
        return RbacIndex.build(client.rbac().roles().inAnyNamespace().list().getItems(),
                client.rbac().clusterRoles().list().getItems(),
                client.rbac().roleBindings().inAnyNamespace().list().getItems(),
                client.rbac().clusterRoleBindings().list().getItems());
    }

    private int ask(RbacWorld world, RbacIndex index, Random random, List<String> mismatches) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < CAN_I_PER_WORLD; i++) {
            Identity identity = identity(world, random);
            AccessRequest request = request(world, random);
            futures.add(pool.submit(() -> {
                boolean expected = allowed(identity, request);
                Decision actual = index.canI(identity, request);
                if (expected) {
                    allowedCount.incrementAndGet();
                }
                if (actual.allowed() != expected) {
                    mismatches.add("can-i " + identity + " " + request + ": server " + expected + ", engine "
                            + actual.allowed() + " (" + actual.reason() + ")");
                }
            }));
        }
        List<Subject> candidates = new ArrayList<>(index.subjects());
        candidates.removeIf(subject -> subject.kind().equals(Subject.GROUP) && subject.name().equals(Subject.MASTERS));
        candidates.addAll(List.of(Subject.user(world.prefix + "-nobody"), Subject.group(world.prefix + "-nogroup"),
                Subject.serviceAccount(world.namespaces.get(0), "unbound")));
        for (int i = 0; i < WHO_CAN_PER_WORLD; i++) {
            AccessRequest request = request(world, random);
            Set<Subject> actual = new LinkedHashSet<>(index.whoCan(request).subjects());
            grantedSubjects.addAndGet(actual.size());
            whoCanReviews.addAndGet(candidates.size());
            List<Future<Boolean>> answers = candidates.stream()
                    .map(candidate -> pool.submit(() -> allowed(candidate.asIdentity(), request))).toList();
            futures.add(pool.submit(() -> {
                Set<Subject> expected = new LinkedHashSet<>();
                for (int c = 0; c < candidates.size(); c++) {
                    if (answers.get(c).get()) {
                        expected.add(candidates.get(c));
                    }
                }
                if (!expected.equals(actual)) {
                    mismatches.add("who-can " + request + ": server-only " + minus(expected, actual) + ", engine-only "
                            + minus(actual, expected));
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get();
        }
        return CAN_I_PER_WORLD + WHO_CAN_PER_WORLD;
    }

    private static Set<Subject> minus(Set<Subject> a, Set<Subject> b) {
        return a.stream().filter(s -> !b.contains(s)).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static boolean allowed(Identity identity, AccessRequest request) {
        if (request.isResourceRequest()) {
            return server.subjectAccessReview(identity.user(), identity.groups(), new ResourceAttributesBuilder()
                    .withVerb(request.verb()).withGroup(request.apiGroup()).withResource(request.resource())
                    .withSubresource(request.subresource()).withName(request.name())
                    .withNamespace(request.namespace()).build()).getAllowed();
        }
        return server.subjectAccessReview(identity.user(), identity.groups(), new NonResourceAttributesBuilder()
                .withVerb(request.verb()).withPath(request.nonResourceUrl()).build()).getAllowed();
    }

    private static Identity identity(RbacWorld world, Random random) {
        List<String> users = new ArrayList<>(world.users);
        users.addAll(List.of("system:serviceaccount:" + pick(world.namespaces, random) + ":sa0",
                "system:serviceaccount:" + pick(world.namespaces, random) + ":sa1",
                "system:serviceaccount:" + pick(world.namespaces, random) + ":other",
                "system:kube-scheduler", "system:anonymous", world.prefix + "-nobody"));
        List<String> groupPool = new ArrayList<>(world.groups);
        groupPool.addAll(List.of("system:authenticated", "system:unauthenticated", "system:serviceaccounts",
                "system:serviceaccounts:" + pick(world.namespaces, random), "system:nodes"));
        List<String> groups = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            groups.add(pick(groupPool, random));
        }
        if (random.nextInt(40) == 0) {
            groups.add(Subject.MASTERS);
        }
        String user = pick(users, random);
        if (random.nextBoolean()) {
            // aimed at a subject of the world's bindings
            io.fabric8.kubernetes.api.model.rbac.Subject subject = pick(world.subjects(), random);
            switch (subject.getKind()) {
                case "User" -> user = subject.getName();
                case "Group" -> groups.add(subject.getName());
                default -> user = "system:serviceaccount:" + (subject.getNamespace() == null
                        ? pick(world.namespaces, random) : subject.getNamespace()) + ":" + subject.getName();
            }
        }
        if (!groups.isEmpty() && random.nextInt(8) == 0) {
            user = ""; // a SubjectAccessReview may name groups and no user (issue #19)
        }
        return new Identity(user, groups.stream().distinct().toList());
    }

    /** Half of the questions are aimed at a rule of the world (then maybe one field changed), half are random. */
    private static AccessRequest request(RbacWorld world, Random random) {
        return random.nextBoolean() ? randomRequest(world, random) : nearRule(world, random);
    }

    private static AccessRequest nearRule(RbacWorld world, Random random) {
        PolicyRule rule = pick(world.rules(), random);
        String verb = concrete(pick(rule.getVerbs(), random), VERBS, random);
        if (!rule.getNonResourceURLs().isEmpty()) {
            String url = pick(rule.getNonResourceURLs(), random);
            if (url.endsWith("*")) {
                url = url.replaceAll("\\*+$", "") + pick(List.of("", "x", "/y"), random);
            }
            return random.nextInt(4) == 0 ? AccessRequest.nonResource(pick(List.of("get", "post"), random), url)
                    : AccessRequest.nonResource(verb, url);
        }
        String group = concrete(pick(rule.getApiGroups(), random), GROUPS, random);
        String resource = pick(rule.getResources(), random);
        String subresource = "";
        int slash = resource.indexOf('/');
        if (slash >= 0) {
            subresource = concrete(resource.substring(slash + 1), SUBRESOURCES, random);
            resource = resource.substring(0, slash);
        }
        resource = concrete(resource, RESOURCES, random);
        String name = rule.getResourceNames().isEmpty() || random.nextInt(4) == 0 ? pick(NAMES, random)
                : pick(rule.getResourceNames(), random);
        List<String> namespaces = new ArrayList<>(world.namespaces);
        namespaces.add("");
        AccessRequest aimed = AccessRequest.resource(verb, group, resource, subresource, name, pick(namespaces, random));
        AccessRequest other = randomRequest(world, random);
        return switch (random.nextInt(8)) {
            case 0 -> AccessRequest.resource(other.verb(), group, resource, subresource, name, aimed.namespace());
            case 1 -> AccessRequest.resource(verb, other.apiGroup(), resource, subresource, name, aimed.namespace());
            case 2 -> AccessRequest.resource(verb, group, resource, other.subresource(), name, aimed.namespace());
            default -> aimed;
        };
    }

    /** A wildcard in a rule becomes a random concrete value most of the time (sometimes the literal "*"). */
    private static String concrete(String value, List<String> pool, Random random) {
        return value.equals("*") && random.nextInt(5) != 0 ? pick(pool, random) : value;
    }

    private static AccessRequest randomRequest(RbacWorld world, Random random) {
        if (random.nextInt(6) == 0) {
            return AccessRequest.nonResource(pick(List.of("get", "post", "head", "*", "put"), random), pick(URLS, random));
        }
        List<String> namespaces = new ArrayList<>(world.namespaces);
        namespaces.addAll(List.of("", "", "default", "kube-system", "kube-public"));
        return AccessRequest.resource(pick(VERBS, random), pick(GROUPS, random), pick(RESOURCES, random),
                pick(SUBRESOURCES, random), pick(NAMES, random), pick(namespaces, random));
    }

    private static <T> T pick(List<T> pool, Random random) {
        return pool.get(random.nextInt(pool.size()));
    }
}
