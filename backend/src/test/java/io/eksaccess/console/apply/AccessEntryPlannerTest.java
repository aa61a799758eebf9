package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.accessentry.AccessEntry;
import io.eksaccess.console.accessentry.AccessPolicyTable;
import io.eksaccess.console.accessentry.AccessScope;
import io.eksaccess.console.accessentry.AssociatedAccessPolicy;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.system.Sentence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner against ACCESS-ENTRIES.md ("What EKS refuses", quota, one-way modes) and DESIGN
 * invariant 5 across every path to cluster-admin; written from the document, not from the double.
 */
class AccessEntryPlannerTest {

    static final String ACCOUNT = "111122223333";
    static final String ADMIN = "arn:aws:iam::" + ACCOUNT + ":role/Admin";
    static final String DEV = "arn:aws:iam::" + ACCOUNT + ":role/team/Dev";
    static final String CLUSTER_ADMIN = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
    static final String EDIT = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy";
    static final AccessEntry ADMIN_ENTRY = new AccessEntry(ADMIN, "STANDARD", null, List.of(),
            List.of(new AssociatedAccessPolicy(CLUSTER_ADMIN, AccessScope.cluster())));
    static final AccessEntryPlanner PLANNER = new AccessEntryPlanner(ACCOUNT, null, Set.of("system:masters"), null);

    /**
     * The reasons are keyed sentences (messages.properties), not English carried through text.unkeyed:
     * pages (Spring's MessageSource) and the CLI (Sentence.text()) read them in the words they always had,
     * apostrophes, braces and numbers included.
     */
    @Test
    void reasonsAreKeyedSentencesThatReadTheSameOnPagesAndInTheCli() {
        AccessEntry dev = new AccessEntry(DEV, "STANDARD", "dev", List.of("devs"), List.of());
        List<AccessEntry> full = new ArrayList<>(List.of(ADMIN_ENTRY));
        for (int i = 1; i < AccessEntryPlanner.QUOTA; i++) {
            full.add(new AccessEntry("arn:aws:iam::" + ACCOUNT + ":role/r" + i, "STANDARD", null, List.of(), List.of()));
        }
        Map<Sentence, String> said = new java.util.LinkedHashMap<>();
        said.put(single(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY),
                new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "{{SessionName}}", List.of())).errors()),
                "Username {{SessionName}} uses {{SessionName}} without a ':' before it; EKS requires one"
                        + " (for example alice:{{SessionName}}).");
        said.put(single(PLANNER.plan(AuthenticationMode.API, full,
                new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", null, List.of())).errors()),
                "The cluster has 3000 access entries, EKS's quota of 3000 per cluster; delete unused entries (or map a"
                        + " role shared by a team) first.");
        said.put(single(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, dev),
                new AccessEntryChange.AssociateAccessPolicy(DEV, "arn:aws:iam::aws:policy/ReadOnlyAccess",
                        AccessScope.cluster())).errors()),
                "'arn:aws:iam::aws:policy/ReadOnlyAccess' is not an EKS access policy ARN; they look like " + VIEW + ".");
        said.put(single(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY),
                new AccessEntryChange.DeleteAccessEntry(ADMIN)).lockout()),
                "The change would leave no principal with cluster-admin through any path (aws-auth system:masters, an"
                        + " entry's groups bound to cluster-admin, or AmazonEKSClusterAdminPolicy at cluster scope); give"
                        + " another principal cluster-admin first.");
        said.put(single(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY),
                new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)).errors()),
                "The cluster is in API mode; EKS changes the authentication mode one way only (CONFIG_MAP →"
                        + " API_AND_CONFIG_MAP → API), so it cannot go back to API_AND_CONFIG_MAP.");
        said.put(single(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY),
                new AccessEntryChange.Batch(List.of())).errors()),
                "The batch holds no change; list at least one in 'changes'.");
        said.put(single(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY), new AccessEntryChange.Batch(List.of(
                new AccessEntryChange.UpdateAccessEntry(DEV, "dev", List.of("devs"))))).errors()),
                "change 1 of 1 (UPDATE_ACCESS_ENTRY " + DEV + "): There is no access entry for " + DEV + " to update;"
                        + " file a CREATE_ACCESS_ENTRY first.");
        org.springframework.context.support.ResourceBundleMessageSource pages =
                new org.springframework.context.support.ResourceBundleMessageSource();
        pages.setBasename("messages"); // as Spring Boot sets it up from spring.messages.*
        pages.setDefaultEncoding("UTF-8");
        pages.setFallbackToSystemLocale(false);
        said.forEach((sentence, words) -> {
            assertThat(sentence.key()).as(words).startsWith("text.entry-");
            assertThat(sentence.text()).isEqualTo(words);
            assertThat(pages.getMessage(sentence, java.util.Locale.ENGLISH)).isEqualTo(words);
        });
    }

    /**
     * EKS names its access policies in the cluster's partition (arn:aws-cn:eks::aws:cluster-access-policy/... in
     * China, arn:aws-us-gov:... in GovCloud, the iso partitions): those are taken, on a cluster of that partition
     * only, and ClusterAdmin counts as cluster-admin in every one (invariant 5, the filing policy).
     */
    @Test
    void accessPoliciesOfTheClustersPartitionAreTakenAndClusterAdminIsClusterAdminInEveryPartition() {
        assertThat(AccessPolicyTable.partitionOfRegion("cn-north-1")).isEqualTo("aws-cn");
        assertThat(AccessPolicyTable.partitionOfRegion("us-gov-west-1")).isEqualTo("aws-us-gov");
        assertThat(AccessPolicyTable.partitionOfRegion("us-iso-east-1")).isEqualTo("aws-iso");
        assertThat(AccessPolicyTable.partitionOfRegion("eu-north-1")).isEqualTo("aws");
        String cnView = "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
        String cnAdmin = "arn:aws-cn:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";
        String cnRole = "arn:aws-cn:iam::" + ACCOUNT + ":role/";
        AccessEntry cnDev = new AccessEntry(cnRole + "Dev", "STANDARD", "dev", List.of(), List.of());
        AccessEntry cnAdminEntry = new AccessEntry(cnRole + "Admin", "STANDARD", null, List.of(),
                List.of(new AssociatedAccessPolicy(cnAdmin, AccessScope.cluster())));
        AccessEntryPlanner china = new AccessEntryPlanner(ACCOUNT, null, Set.of("system:masters"), null, "aws-cn");

        for (AccessEntryPlanner planner : List.of(china, PLANNER)) {
            AccessEntryPlan associated = planner.plan(AuthenticationMode.API, List.of(cnAdminEntry, cnDev),
                    new AccessEntryChange.AssociateAccessPolicy(cnDev.principalArn(), cnView, AccessScope.cluster()));
            assertThat(associated.errors()).isEmpty();
            assertThat(associated.after().associatedAccessPolicies()).extracting(AssociatedAccessPolicy::policyArn)
                    .containsExactly(cnView);
            // The only admin is the aws-cn ClusterAdmin entry: deleting another entry leaves it, deleting it locks out.
            assertThat(planner.plan(AuthenticationMode.API, List.of(cnAdminEntry, cnDev),
                    new AccessEntryChange.DeleteAccessEntry(cnDev.principalArn())).lockout()).isEmpty();
            assertThat(planner.plan(AuthenticationMode.API, List.of(cnAdminEntry, cnDev),
                    new AccessEntryChange.DeleteAccessEntry(cnAdminEntry.principalArn())).lockout()).hasSize(1);
        }
        assertThat(AccessPolicyTable.isClusterAdmin(cnAdmin)).isTrue();
        assertThat(AccessPolicyTable.isClusterAdmin("arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"))
                .isTrue();
        assertThat(AccessPolicyTable.modelled(cnView)).as("what it allows is known in every partition").isTrue();

        // Another known partition than the cluster's: EKS would refuse it, so the planner does, naming the right ARN.
        assertThat(single(china.plan(AuthenticationMode.API, List.of(cnAdminEntry, cnDev),
                new AccessEntryChange.AssociateAccessPolicy(cnDev.principalArn(), VIEW, AccessScope.cluster())).errors())
                .text()).isEqualTo("'" + VIEW + "' is an access policy of partition aws, but this cluster is in partition"
                        + " aws-cn, where EKS refuses it; use " + cnView + ".");
        // A partition nobody has is refused whatever the cluster's.
        String moon = "arn:aws-moon:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
        for (AccessEntryPlanner planner : List.of(china, PLANNER)) {
            assertThat(single(planner.plan(AuthenticationMode.API, List.of(cnAdminEntry, cnDev),
                    new AccessEntryChange.AssociateAccessPolicy(cnDev.principalArn(), moon, AccessScope.cluster())).errors())
                    .text()).startsWith("'" + moon + "' names the partition 'aws-moon', which the console does not know"
                            + " (it knows aws, aws-cn, aws-us-gov,");
        }
    }

    static Sentence single(List<Sentence> reasons) {
        assertThat(reasons).hasSize(1);
        return reasons.get(0);
    }

    @Test
    void createRefusesWhatEksRefusesInTheConsolesWords() {
        assertThat(create(new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "dev", List.of("system:masters"))).errors())
                .singleElement().asString().contains("system:").contains("AmazonEKSClusterAdminPolicy");
        assertThat(create(new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "eks:dev", List.of())).errors())
                .singleElement().asString().contains("reserves");
        assertThat(create(new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "{{SessionName}}", List.of())).errors())
                .singleElement().asString().contains("':' before it");
        assertThat(create(new AccessEntryChange.CreateAccessEntry("arn:aws:sts::" + ACCOUNT + ":assumed-role/Dev/s",
                "STANDARD", null, List.of())).errors()).singleElement().asString().contains("IAM role ARN");
        assertThat(create(new AccessEntryChange.CreateAccessEntry("arn:aws:iam::" + ACCOUNT
                + ":role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS", "STANDARD", null, List.of()))
                .errors()).singleElement().asString().contains("service-linked");
        assertThat(create(new AccessEntryChange.CreateAccessEntry("arn:aws:iam::999999999999:role/nodes", "EC2_LINUX",
                null, List.of())).errors()).singleElement().asString().contains("cluster's own account");
        assertThat(create(new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "dev:{{SessionName}}",
                List.of("devs"))).errors()).isEmpty();
    }

    @Test
    void aPrincipalWithAnEntryAndAFullClusterAreRefusedAtFiling() {
        AccessEntry dev = new AccessEntry(DEV, "STANDARD", "dev", List.of("devs"), List.of());
        AccessEntryPlan again = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, dev),
                new AccessEntryChange.CreateAccessEntry("arn:aws:iam::" + ACCOUNT + ":role/Dev", "STANDARD", "other", List.of()));
        assertThat(again.errors()).anySatisfy(e -> assertThat(e.text()).contains("already has an access entry").contains(DEV));

        List<AccessEntry> full = new ArrayList<>(List.of(ADMIN_ENTRY));
        for (int i = 1; i < AccessEntryPlanner.QUOTA; i++) {
            full.add(new AccessEntry("arn:aws:iam::" + ACCOUNT + ":role/r" + i, "STANDARD", null, List.of(), List.of()));
        }
        assertThat(PLANNER.plan(AuthenticationMode.API, full, new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD",
                null, List.of())).errors()).singleElement().asString().contains("3000").contains("quota");
    }

    @Test
    void theWayBackIsPlannedAndWhatIsAlreadySoWritesNothing() {
        AccessEntry dev = new AccessEntry(DEV, "STANDARD", "dev", List.of("devs"), List.of());
        AccessEntryPlan associate = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, dev),
                new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.namespaces("dev")));
        assertThat(associate.refused(false)).isFalse();
        assertThat(associate.inverse()).as("the way back names the scope it gave (a later re-scope is kept)")
                .isEqualTo(new AccessEntryChange.DisassociateAccessPolicy(DEV, VIEW, AccessScope.namespaces("dev")));

        AccessEntry viewing = new AccessEntry(DEV, "STANDARD", "dev", List.of("devs"),
                List.of(new AssociatedAccessPolicy(VIEW, AccessScope.cluster())));
        AccessEntryPlan narrower = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, viewing),
                new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.namespaces("dev")));
        assertThat(narrower.inverse()).as("associating again replaces the scope: the way back restores it"
                        + " (while the scope it gave is in place)")
                .isEqualTo(new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.cluster(),
                        AccessScope.namespaces("dev")));

        AccessEntryPlan same = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, viewing),
                new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.cluster()));
        assertThat(same.noChange()).isTrue();
        assertThat(same.inverse()).isNull();

        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, dev),
                new AccessEntryChange.UpdateAccessEntry(DEV, null, List.of("ops"))).inverse())
                .isEqualTo(new AccessEntryChange.UpdateAccessEntry(DEV, "dev", List.of("devs")));
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY),
                new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.cluster())).errors())
                .singleElement().asString().endsWith("; create the entry first (CREATE_ACCESS_ENTRY).");
    }

    @Test
    void authenticationModeGoesOneWayOneStepAtATime() {
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY),
                new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API_AND_CONFIG_MAP)).errors())
                .singleElement().asString().contains("one way only");
        assertThat(PLANNER.plan(AuthenticationMode.CONFIG_MAP, List.of(),
                new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API)).errors())
                .singleElement().asString().contains("step through API_AND_CONFIG_MAP");
        assertThat(PLANNER.plan(AuthenticationMode.CONFIG_MAP, List.of(),
                new AccessEntryChange.DeleteAccessEntry(DEV)).errors())
                .singleElement().asString().contains("CONFIG_MAP mode");
    }

    @Test
    void lockoutCoversEveryPathToClusterAdmin() {
        // The only admin is an entry with ClusterAdmin at cluster scope: neither its removal nor narrowing goes.
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY), new AccessEntryChange.DeleteAccessEntry(ADMIN))
                .lockout()).singleElement().asString().contains("no principal with cluster-admin");
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY),
                new AccessEntryChange.AssociateAccessPolicy(ADMIN, CLUSTER_ADMIN, AccessScope.namespaces("dev")))
                .refused(false)).isTrue();
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY), new AccessEntryChange.DeleteAccessEntry(ADMIN))
                .refused(true)).as("break-glass with the override confirmed").isFalse();

        // Admins only through aws-auth system:masters: switching to API (which ignores aws-auth) locks everyone out.
        var awsAuth = AwsAuthParser.parse(Map.of("mapRoles", "- rolearn: " + ADMIN + "\n  username: admin\n  groups:\n"
                + "    - system:masters\n"));
        AccessEntryPlanner withAwsAuth = new AccessEntryPlanner(ACCOUNT, awsAuth, Set.of("system:masters", "ops-admins"),
                null);
        assertThat(withAwsAuth.plan(AuthenticationMode.API_AND_CONFIG_MAP, List.of(),
                new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API)).lockout()).hasSize(1);
        // An entry whose groups are bound to cluster-admin counts as a path too.
        AccessEntry ops = new AccessEntry(DEV, "STANDARD", "ops", List.of("ops-admins"), List.of());
        assertThat(withAwsAuth.plan(AuthenticationMode.API_AND_CONFIG_MAP, List.of(ops),
                new AccessEntryChange.SetAuthenticationMode(AuthenticationMode.API)).lockout()).isEmpty();
    }

    @Test
    void theConsolesOwnEntryIsProtected() {
        AccessEntryPlanner planner = new AccessEntryPlanner(ACCOUNT, null, Set.of("system:masters"), ADMIN);
        AccessEntry other = new AccessEntry(DEV, "STANDARD", null, List.of(),
                List.of(new AssociatedAccessPolicy(CLUSTER_ADMIN, AccessScope.cluster())));
        assertThat(planner.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, other),
                new AccessEntryChange.DisassociateAccessPolicy(ADMIN, CLUSTER_ADMIN)).lockout())
                .singleElement().asString().contains("console's own access entry");
    }

    @Test
    void theWayBackOfADeleteRestoresTheEntryWithEveryPolicyAndScope() {
        List<AssociatedAccessPolicy> policies = List.of(new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("dev", "team-*")),
                new AssociatedAccessPolicy(EDIT, AccessScope.cluster()));
        AccessEntry dev = new AccessEntry(DEV, "STANDARD", "dev:{{SessionName}}", List.of("devs"), policies);
        AccessEntryPlan delete = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, dev),
                new AccessEntryChange.DeleteAccessEntry(DEV));
        AccessEntryChange.CreateAccessEntry back = (AccessEntryChange.CreateAccessEntry) delete.inverse();
        assertThat(back).isEqualTo(new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", "dev:{{SessionName}}",
                List.of("devs"), policies));

        // Restored: the create plans the entry with its policies; once all is in place it writes nothing.
        AccessEntryPlan restore = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY), back);
        assertThat(restore.refused(false)).isFalse();
        assertThat(restore.after()).isEqualTo(dev);
        AccessEntry cutShort = new AccessEntry(DEV, "STANDARD", "dev:{{SessionName}}", List.of("devs"), policies.subList(0, 1));
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, cutShort), back).after())
                .as("a restore cut short after the create still associates the rest").isEqualTo(dev);
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, dev), back).noChange()).isTrue();
    }

    @Test
    void takingBackACreateKeepsWhatWasAddedSinceAndSaysWhy() {
        AccessEntryChange.CreateAccessEntry create = new AccessEntryChange.CreateAccessEntry(DEV, "STANDARD", null,
                List.of("readers"));
        AccessEntryChange.DeleteAccessEntry takeBack = (AccessEntryChange.DeleteAccessEntry) create(create).inverse();
        assertThat(takeBack.granted()).isNotNull();

        AccessEntry asCreated = new AccessEntry(DEV, "STANDARD", "arn:aws:sts::" + ACCOUNT + ":assumed-role/Dev/{{SessionName}}",
                List.of("readers"), List.of());
        AccessEntryPlan whole = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, asCreated), takeBack);
        assertThat(whole.after()).as("only what the grant made: deleted").isNull();
        assertThat(whole.kept()).isEmpty();

        AssociatedAccessPolicy later = new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("dev"));
        AccessEntry withPolicy = new AccessEntry(DEV, "STANDARD", asCreated.username(), List.of("readers"), List.of(later));
        AccessEntryPlan inPart = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, withPolicy), takeBack);
        assertThat(inPart.after()).as("the entry stays with the later policy; the grant's groups go")
                .isEqualTo(new AccessEntry(DEV, "STANDARD", asCreated.username(), List.of(), List.of(later)));
        assertThat(inPart.kept()).anySatisfy(k -> assertThat(k.text()).contains("AmazonEKSViewPolicy").contains("after the grant"));
        AccessEntryPlan again = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, inPart.after()), takeBack);
        assertThat(again.noChange()).as("taken back once (a retry, recovery): nothing more to write").isTrue();
        assertThat(again.kept()).as("and the same reasons").containsExactlyElementsOf(inPart.kept());

        AccessEntry regrouped = new AccessEntry(DEV, "STANDARD", asCreated.username(), List.of("readers", "ops"), List.of());
        AccessEntryPlan updated = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, regrouped), takeBack);
        assertThat(updated.noChange()).as("groups a later update set are that update's").isTrue();
        assertThat(updated.kept()).anySatisfy(k -> assertThat(k.text()).contains("changed after the grant"));

        AccessEntryChange.DisassociateAccessPolicy end = new AccessEntryChange.DisassociateAccessPolicy(DEV, VIEW,
                AccessScope.namespaces("dev"));
        AccessEntry rescoped = new AccessEntry(DEV, "STANDARD", null, List.of(),
                List.of(new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("dev", "prod"))));
        AccessEntryPlan keptScope = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, rescoped), end);
        assertThat(keptScope.noChange()).isTrue();
        assertThat(keptScope.kept()).singleElement().asString().contains("re-scoped after the grant");
        assertThat(PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, withPolicy), end).after().associatedAccessPolicies())
                .as("the scope the grant gave is removed").isEmpty();
    }

    /** The way back of a re-scope restores the earlier scope only while the grant's scope is still in place. */
    @Test
    void theWayBackOfAReScopeKeepsAScopeOrADisassociationMadeSince() {
        AccessEntry onOps = new AccessEntry(DEV, "STANDARD", null, List.of(),
                List.of(new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("ops"))));
        AccessEntryPlan grant = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, onOps),
                new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW, AccessScope.namespaces("dev")));
        assertThat(grant.inverse()).isEqualTo(new AccessEntryChange.AssociateAccessPolicy(DEV, VIEW,
                AccessScope.namespaces("ops"), AccessScope.namespaces("dev")));
        AccessEntryChange wayBack = (AccessEntryChange) grant.inverse();

        AccessEntryPlan untouched = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, grant.after()), wayBack);
        assertThat(untouched.after().associatedAccessPolicies()).extracting(p -> p.accessScope().namespaces())
                .as("untouched since: the earlier scope comes back").containsExactly(List.of("ops"));

        AccessEntry rescoped = new AccessEntry(DEV, "STANDARD", null, List.of(),
                List.of(new AssociatedAccessPolicy(VIEW, AccessScope.namespaces("dev", "prod"))));
        AccessEntryPlan kept = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, rescoped), wayBack);
        assertThat(kept.noChange()).isTrue();
        assertThat(kept.kept()).singleElement().asString().contains("re-scoped after the grant");

        AccessEntry gone = new AccessEntry(DEV, "STANDARD", null, List.of(), List.of());
        AccessEntryPlan notBack = PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY, gone), wayBack);
        assertThat(notBack.noChange()).as("a disassociation made since is not undone").isTrue();
        assertThat(notBack.kept()).singleElement().asString().contains("disassociated after the grant");
    }

    private static AccessEntryPlan create(AccessEntryChange.CreateAccessEntry change) {
        return PLANNER.plan(AuthenticationMode.API, List.of(ADMIN_ENTRY), change);
    }
}
