package io.eksaccess.console.bench;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.IamAccessIndex;
import io.eksaccess.console.accessentry.IamAuthorizer;
import io.eksaccess.console.accessentry.IamDecision;
import io.eksaccess.console.accessentry.IamPrincipal;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.RbacIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * who-can with its IAM principals and can-i for an IAM caller ARN through {@link IamAuthorizer}
 * (issue 15's speed target), on a {@link SyntheticRbacWorld} of 20,000 bindings plus 3,000 access
 * entries with mixed managed policies and scopes (cluster, namespace lists, globs) and an aws-auth
 * of 200 role mappings, in API_AND_CONFIG_MAP mode (both paths read). JMH SampleTime; each call
 * asks the next of 4,096 seeded questions. Run by {@link AccessEntriesBench#main}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccessEntriesBenchmark {

    static final String ACCOUNT = "111122223333";
    static final List<String> POLICIES = List.of("AmazonEKSViewPolicy", "AmazonEKSEditPolicy", "AmazonEKSAdminPolicy",
            "AmazonEKSAdminViewPolicy", "AmazonEKSClusterAdminPolicy", "AmazonEKSLoadBalancingClusterPolicy");
    private static final int QUESTIONS = 4096;

    @Param("5000")
    public int roles;

    @Param("20000")
    public int bindings;

    @Param("200")
    public int namespaces;

    @Param("3000")
    public int entries;

    private RbacIndex index;
    private List<AccessEntry> accessEntries;
    private AwsAuthConfig awsAuth;
    // Built once per sync (load), as the pages and the CLI hold it: not part of a question.
    private IamAccessIndex iam;
    private final AccessRequest[] requests = new AccessRequest[QUESTIONS];
    private final String[] callers = new String[QUESTIONS];
    private int next;

    @Setup(Level.Trial)
    public void build() throws Exception {
        SyntheticRbacWorld world = new SyntheticRbacWorld("bench", roles, bindings, namespaces, 42);
        index = RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
        accessEntries = entries(world, entries, new Random(11));
        awsAuth = awsAuth(world, 200);
        iam = IamAccessIndex.of(AuthenticationMode.API_AND_CONFIG_MAP, accessEntries, awsAuth);
        Random questions = new Random(7);
        for (int i = 0; i < QUESTIONS; i++) {
            requests[i] = world.question(questions);
            int who = questions.nextInt(entries + 200);
            // Mostly entry principals (some under a path), some aws-auth-only roles, assumed as a session.
            callers[i] = "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + (who < entries ? "entry-" + who : "mapped-" + (who - entries))
                    + "/session-" + i;
        }
    }

    /** Entries of roles (a tenth under a path) and users: a third with groups of the world, most with one to three policies. */
    public static List<AccessEntry> entries(SyntheticRbacWorld world, int count, Random random) {
        List<AccessEntry> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String principal = i % 10 == 0 ? "arn:aws:iam::" + ACCOUNT + ":role/teams/entry-" + i
                    : i % 7 == 0 ? "arn:aws:iam::" + ACCOUNT + ":user/entry-user-" + i
                    : "arn:aws:iam::" + ACCOUNT + ":role/entry-" + i;
            List<String> groups = random.nextInt(3) == 0
                    ? List.of(world.groups.get(random.nextInt(world.groups.size()))) : List.of();
            List<AssociatedAccessPolicy> policies = new ArrayList<>();
            for (int p = random.nextInt(4); p > 0; p--) {
                String policy = "arn:aws:eks::aws:cluster-access-policy/" + POLICIES.get(random.nextInt(POLICIES.size()));
                policies.add(new AssociatedAccessPolicy(policy, scope(world, random)));
            }
            list.add(new AccessEntry(principal, AccessEntry.STANDARD, random.nextInt(5) == 0 ? "user-" + i : null, groups,
                    policies));
        }
        return list;
    }

    private static AccessScope scope(SyntheticRbacWorld world, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> AccessScope.cluster();
            case 1 -> AccessScope.namespaces("bench-ns" + random.nextInt(world.namespaces.size()) + "*");
            default -> AccessScope.namespaces(world.namespaces.get(random.nextInt(world.namespaces.size())).getMetadata().getName(),
                    world.namespaces.get(random.nextInt(world.namespaces.size())).getMetadata().getName());
        };
    }

    /** aws-auth role mappings into the world's groups: {@code mapped-N}, and some roles that an entry overrides. */
    public static AwsAuthConfig awsAuth(SyntheticRbacWorld world, int count) throws Exception {
        StringBuilder roles = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String role = i % 5 == 0 ? "entry-" + (i * 7 + 1) : "mapped-" + i;
            roles.append("- rolearn: arn:aws:iam::").append(ACCOUNT).append(":role/").append(role).append('\n')
                    .append("  username: ").append(role).append(":{{SessionName}}\n")
                    .append("  groups: [").append(world.groups.get(i % world.groups.size())).append("]\n");
        }
        return AwsAuthParser.read(Map.of("mapRoles", roles.toString()));
    }

    @Benchmark
    public List<IamPrincipal> whoCanIam() {
        AccessRequest request = requests[next++ & (QUESTIONS - 1)];
        return iam.whoCan(request, index.whoCan(request));
    }

    @Benchmark
    public IamDecision canIArn() {
        int i = next++ & (QUESTIONS - 1);
        return IamAuthorizer.canI(iam.resolve(callers[i]), requests[i], index);
    }
}
