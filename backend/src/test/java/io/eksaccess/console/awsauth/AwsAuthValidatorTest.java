package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsAuthValidatorTest {

    private static List<Finding> findings(String mapRoles, String mapUsers, String mapAccounts) {
        Map<String, String> data = new java.util.HashMap<>();
        if (mapRoles != null) data.put("mapRoles", mapRoles);
        if (mapUsers != null) data.put("mapUsers", mapUsers);
        if (mapAccounts != null) data.put("mapAccounts", mapAccounts);
        return AwsAuthValidator.offline().validate(AwsAuthParser.parse(data));
    }

    private static List<String> ids(List<Finding> findings) {
        return findings.stream().map(f -> f.id() + "@" + f.key() + "[" + f.index() + "]").toList();
    }

    @Test
    void cleanRoleMappingHasNoFindings() {
        assertThat(findings("- rolearn: arn:aws:iam::111122223333:role/Dev\n  username: dev:{{SessionName}}\n  groups: [developers]\n",
                null, null)).isEmpty();
    }

    @Test
    void droppedEntryAndUnreadableSectionAreCriticalAndBlocking() {
        List<Finding> found = findings("- username: no-arn\n- rolearn: arn:aws:iam::1:role/A\n  username: a:{{SessionName}}\n",
                "- userarn: [unclosed", null);
        assertThat(found).filteredOn(f -> f.id().equals("AWSAUTH-001"))
                .extracting(Finding::key, Finding::index, Finding::severity, Finding::blocking)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("mapRoles", 0, Severity.CRITICAL, true),
                        org.assertj.core.groups.Tuple.tuple("mapUsers", null, Severity.CRITICAL, true));
    }

    @Test
    void systemMastersIsFlagged() {
        assertThat(ids(findings("- rolearn: arn:aws:iam::1:role/A\n  username: a:{{SessionName}}\n  groups: [system:masters]\n",
                null, null))).containsExactly("AWSAUTH-002@mapRoles[0]");
    }

    @Test
    void mappedIamUserIsFlagged() {
        assertThat(ids(findings(null, "- userarn: arn:aws:iam::1:user/alice\n  username: alice\n", null)))
                .containsExactly("AWSAUTH-003@mapUsers[0]");
    }

    @Test
    void roleUsernameWithoutSessionNameIsFlaggedButNotForNodeRoles() {
        assertThat(ids(findings("- rolearn: arn:aws:iam::1:role/Ops\n  username: ops\n"
                + "- rolearn: arn:aws:iam::1:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n"
                + "  groups: [system:bootstrappers, system:nodes]\n", null, null)))
                .containsExactly("AWSAUTH-004@mapRoles[0]");
    }

    @Test
    void malformedAssumedRoleAndPathArnsAreFlagged() {
        List<Finding> found = findings("- rolearn: not-an-arn\n  username: a:{{SessionName}}\n"
                + "- rolearn: arn:aws:sts::1:assumed-role/Dev/alice\n  username: a:{{SessionName}}\n"
                + "- rolearn: arn:aws:iam::1:role/team/Dev\n  username: a:{{SessionName}}\n", null, null);
        assertThat(ids(found)).containsExactly("AWSAUTH-005@mapRoles[0]", "AWSAUTH-005@mapRoles[1]", "AWSAUTH-005@mapRoles[2]");
        assertThat(found.get(1).message()).contains("arn:aws:iam::1:role/Dev");
        assertThat(found.get(2).message()).contains("Use 'arn:aws:iam::1:role/Dev'");
    }

    @Test
    void ssoEntryWithPartitionNeverMatches() {
        List<Finding> found = findings("- sso: {permissionSetName: Admin, accountID: \"111122223333\", partition: aws}\n"
                + "  username: a:{{SessionName}}\n", null, null);
        assertThat(ids(found)).containsExactly("AWSAUTH-005@mapRoles[0]");
        assertThat(found.get(0).message()).contains("arn::iam::111122223333");
    }

    @Test
    void duplicatesNameTheEntryThatLoses() {
        List<Finding> found = findings("- rolearn: arn:aws:iam::1:role/Dev\n  username: a:{{SessionName}}\n"
                + "- rolearn: arn:aws:iam::1:role/DEV\n  username: b:{{SessionName}}\n",
                "- userarn: arn:aws:iam::1:user/bob\n  username: bob\n- userarn: arn:aws:iam::1:user/Bob\n  username: bob2\n", null);
        assertThat(ids(found)).contains("AWSAUTH-006@mapRoles[0]", "AWSAUTH-006@mapUsers[0]");
        assertThat(found).filteredOn(f -> f.id().equals("AWSAUTH-006") && f.key().equals("mapUsers"))
                .first().extracting(Finding::message).asString().contains("at random");
    }

    @Test
    void accessKeyIdAndDnsNameOutsideNodeRolesAreFlagged() {
        assertThat(ids(findings("- rolearn: arn:aws:iam::1:role/A\n  username: a:{{SessionName}}:{{AccessKeyID}}\n"
                + "- rolearn: arn:aws:iam::1:role/B\n  username: b:{{SessionName}}:{{EC2PrivateDNSName}}\n", null, null)))
                .containsExactly("AWSAUTH-007@mapRoles[0]", "AWSAUTH-007@mapRoles[1]");
    }

    @Test
    void missingPrincipalIsReportedOnlyWhenTheLookupKnows() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles",
                "- rolearn: arn:aws:iam::1:role/Gone\n  username: a:{{SessionName}}\n"
                        + "- rolearn: arn:aws:iam::1:role/Here\n  username: b:{{SessionName}}\n"));
        IamPrincipalLookup iam = arn -> arn.endsWith("Gone") ? IamPrincipalLookup.Existence.MISSING
                : IamPrincipalLookup.Existence.EXISTS;
        assertThat(ids(new AwsAuthValidator(iam).validate(config))).containsExactly("AWSAUTH-008@mapRoles[0]");
        assertThat(AwsAuthValidator.offline().validate(config)).isEmpty();
    }

    @Test
    void mappedAccountIsFlagged() {
        assertThat(ids(findings(null, null, "- \"111122223333\"\n"))).containsExactly("AWSAUTH-009@mapAccounts[0]");
    }
}
