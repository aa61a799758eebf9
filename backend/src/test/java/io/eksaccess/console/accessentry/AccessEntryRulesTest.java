package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.system.Sentence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's checks against each refusal listed in ACCESS-ENTRIES.md, "What EKS refuses". */
class AccessEntryRulesTest {

    private static final String ROLE = "arn:aws:iam::111122223333:role/teams/Dev";

    private static List<String> problems(AccessEntry entry) {
        return AccessEntryRules.problems(entry, "111122223333", List.of()).stream().map(Sentence::text).toList();
    }

    private static AccessEntry standard(String arn, String username, List<String> groups) {
        return new AccessEntry(arn, "STANDARD", username, groups, List.of());
    }

    @Test
    void aPlainStandardEntryPasses() {
        assertThat(problems(standard(ROLE, "dev:{{SessionName}}", List.of("devs")))).isEmpty();
        assertThat(problems(standard("arn:aws:iam::111122223333:user/alice", null, List.of()))).isEmpty();
        assertThat(problems(new AccessEntry(ROLE, "EC2_LINUX", null, List.of(), List.of()))).isEmpty();
    }

    @Test
    void principalMustBeAnIamRoleOrUserNotASessionOrServiceLinkedRole() {
        assertThat(problems(standard("arn:aws:sts::111122223333:assumed-role/Dev/jane", null, List.of())))
                .singleElement().asString().contains("STS assumed-role session ARN");
        assertThat(problems(standard("arn:aws:iam::111122223333:group/devs", null, List.of())))
                .singleElement().asString().contains("IAM role or user ARN");
        assertThat(problems(standard("arn:aws:iam::111122223333:role/aws-service-role/eks.amazonaws.com/AWSServiceRoleForAmazonEKS",
                null, List.of()))).singleElement().asString().contains("service-linked role");
    }

    @Test
    void anSsoRoleWithoutItsPathIsRefused() {
        assertThat(problems(standard("arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef", null,
                List.of()))).singleElement().asString().contains("aws-reserved/sso.amazonaws.com");
        assertThat(problems(standard("arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/"
                + "AWSReservedSSO_Admin_0123456789abcdef", null, List.of()))).isEmpty();
    }

    @Test
    void onePrincipalOneEntryWhateverThePath() {
        assertThat(AccessEntryRules.problems(standard("arn:aws:iam::111122223333:role/Dev", null, List.of()), null,
                List.of(standard(ROLE, null, List.of())))).singleElement().asString().contains("already has an access entry");
    }

    @Test
    void nodeEntriesAreRolesOfTheClustersAccountWithoutUsernameGroupsOrPolicies() {
        assertThat(problems(new AccessEntry("arn:aws:iam::444455556666:role/Node", "EC2_LINUX", null, List.of(), List.of())))
                .singleElement().asString().contains("cluster's own account 111122223333");
        assertThat(problems(new AccessEntry("arn:aws:iam::111122223333:user/n", "FARGATE_LINUX", null, List.of(), List.of())))
                .singleElement().asString().contains("not a user");
        assertThat(problems(new AccessEntry(ROLE, "EC2_LINUX", "node", List.of("nodes"), List.of())))
                .singleElement().asString().contains("takes no username, groups or access policies");
    }

    @Test
    void reservedUsernamePrefixesAreRefused() {
        for (String prefix : List.of("system:", "eks:", "aws:", "amazon:", "iam:")) {
            assertThat(problems(standard(ROLE, prefix + "x", List.of()))).as(prefix).singleElement().asString()
                    .contains("starts with " + prefix);
        }
        assertThat(problems(standard(ROLE, "systemx", List.of()))).isEmpty();
    }

    @Test
    void aSessionNameTemplateNeedsAColonBeforeIt() {
        assertThat(problems(standard(ROLE, "{{SessionName}}", List.of()))).singleElement().asString()
                .contains("without a ':' before it");
        assertThat(problems(standard(ROLE, "dev-{{SessionNameRaw}}", List.of()))).hasSize(1);
        assertThat(problems(standard(ROLE, "dev:x-{{SessionNameRaw}}", List.of()))).isEmpty();
    }

    @Test
    void systemGroupsAreRefusedAndSystemMastersPointsToTheClusterAdminPolicy() {
        assertThat(problems(standard(ROLE, null, List.of("system:masters")))).singleElement().asString()
                .contains("AmazonEKSClusterAdminPolicy");
        assertThat(problems(standard(ROLE, null, List.of("system:nodes")))).hasSize(1);
        // only the prefix counts, not the text "system" anywhere
        assertThat(problems(standard(ROLE, null, List.of("my-system-admins")))).isEmpty();
    }

    @Test
    void aNamespaceScopeNeedsNamespaces() {
        AccessEntry entry = new AccessEntry(ROLE, "STANDARD", null, List.of(), List.of(new AssociatedAccessPolicy(
                AccessPolicyTable.ARN_PREFIX + "AmazonEKSViewPolicy", new AccessScope("namespace", List.of()))));
        assertThat(problems(entry)).singleElement().asString().contains("without namespaces");
    }
}
