package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cases from the authenticator's own tests (pkg/arn, pkg/config/mapper_test.go, server templates). */
class WhoIsTest {

    private static final AwsAuthConfig CONFIG = AwsAuthParser.parse(Map.of(
            "mapRoles", """
                    - rolearn: arn:aws:iam::012345678912:role/KubeAdmin
                      username: admin:{{SessionName}}
                      groups: [system:masters, "acct-{{AccountID}}"]
                    - rolearn: arn:aws:iam::012345678912:role/Raw
                      username: raw:{{SessionNameRaw}}:{{AccessKeyID}}
                    - sso:
                        permissionSetName: ViewOnlyAccess
                        accountID: "012345678912"
                      username: viewer:{{SessionName}}
                    """,
            "mapUsers", """
                    - userarn: arn:aws:iam::012345678912:user/Shanice
                      username: Shanice
                      groups: [system:masters]
                    """,
            "mapAccounts", "- \"999999999999\"\n"));

    @Test
    void assumedRoleIsCanonicalizedAndMatchedCaseInsensitively() {
        WhoIs.Answer answer = WhoIs.resolve(CONFIG, "arn:aws:sts::012345678912:assumed-role/kubeadmin/alice@example.com", false);
        assertThat(answer.mapped()).isTrue();
        assertThat(answer.via()).isEqualTo(Section.MAP_ROLES);
        assertThat(answer.entryIndex()).isZero();
        assertThat(answer.username()).isEqualTo("admin:alice-example.com");
        assertThat(answer.groups()).containsExactly("system:masters", "acct-012345678912");
    }

    @Test
    void sessionNameRawKeepsTheAtSignAndAccessKeyStaysUnrendered() {
        WhoIs.Answer answer = WhoIs.resolve(CONFIG, "arn:aws:sts::012345678912:assumed-role/Raw/bob@example.com", false);
        assertThat(answer.username()).isEqualTo("raw:bob@example.com:{{AccessKeyID}}");
        assertThat(answer.notes()).anyMatch(n -> n.contains("AccessKeyID"));
    }

    @Test
    void canonicalizeFollowsPkgArnTests() {
        assertThat(CallerArn.canonicalize("arn:aws:sts::123456789012:assumed-role/Accounting-Role/Mary").canonicalArn())
                .isEqualTo("arn:aws:iam::123456789012:role/Accounting-Role");
        assertThat(CallerArn.canonicalize("arn:aws:iam::123456789012:user/Bob").canonicalArn())
                .isEqualTo("arn:aws:iam::123456789012:user/Bob");
        assertThat(CallerArn.canonicalize("arn:aws:sts::123456789012:federated-user/Bob").type())
                .isEqualTo(CallerArn.PrincipalType.FEDERATED_USER);
        assertThat(CallerArn.canonicalize("arn:aws-cn:sts::123456789012:assumed-role/a/b/c/session").canonicalArn())
                .isEqualTo("arn:aws-cn:iam::123456789012:role/a/b/c");
        assertThatThrownBy(() -> CallerArn.canonicalize("arn:aws:s3::123456789012:bucket")).hasMessageContaining("not a valid service");
        assertThatThrownBy(() -> CallerArn.canonicalize("arn:aws-nk:iam::123456789012:user/x")).hasMessageContaining("partition");
        assertThatThrownBy(() -> CallerArn.canonicalize("arn:aws:sts::123456789012:assumed-role/NoSession"))
                .hasMessageContaining("does not have a role");
    }

    @Test
    void usersMatchCaseInsensitivelyAfterRoles() {
        WhoIs.Answer answer = WhoIs.resolve(CONFIG, "arn:aws:iam::012345678912:user/shanice", false);
        assertThat(answer.via()).isEqualTo(Section.MAP_USERS);
        assertThat(answer.username()).isEqualTo("Shanice");
        assertThat(WhoIs.resolve(CONFIG, "arn:aws:iam::012345678912:user/notShanice", false).mapped()).isFalse();
    }

    @Test
    void ssoEntriesMatchOnlyWithTheFeatureGate() {
        String sso = "arn:aws:sts::012345678912:assumed-role/AWSReservedSSO_ViewOnlyAccess_abcdefg/carol";
        assertThat(WhoIs.resolve(CONFIG, sso, false).mapped()).isFalse();
        assertThat(WhoIs.resolve(CONFIG, sso, false).notes()).anyMatch(n -> n.contains("SSORoleMatch"));
        WhoIs.Answer gated = WhoIs.resolve(CONFIG, sso, true);
        assertThat(gated.entryIndex()).isEqualTo(2);
        assertThat(gated.username()).isEqualTo("viewer:carol");
        assertThat(WhoIs.resolve(CONFIG, "arn:aws:sts::012345678912:assumed-role/AWSReservedSSO_Billing_hijklmn/x", true)
                .mapped()).isFalse();
    }

    @Test
    void mappedAccountGivesTheCanonicalArnAndNoGroups() {
        WhoIs.Answer answer = WhoIs.resolve(CONFIG, "arn:aws:sts::999999999999:assumed-role/Anything/dave", false);
        assertThat(answer.via()).isEqualTo(Section.MAP_ACCOUNTS);
        assertThat(answer.username()).isEqualTo("arn:aws:iam::999999999999:role/Anything");
        assertThat(answer.groups()).isEmpty();
    }

    @Test
    void rolePathsNeverMatchAssumedRoles() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles",
                "- rolearn: arn:aws:iam::1:role/team/Dev\n  username: dev\n"));
        assertThat(WhoIs.resolve(config, "arn:aws:sts::1:assumed-role/Dev/s", false).mapped()).isFalse();
    }

    @Test
    void lastDuplicateRoleWins() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles",
                "- rolearn: arn:aws:iam::1:role/Dev\n  username: first\n- rolearn: arn:aws:iam::1:role/DEV\n  username: second\n"));
        assertThat(WhoIs.resolve(config, "arn:aws:sts::1:assumed-role/Dev/s", false).username()).isEqualTo("second");
    }

    @Test
    void nodeTemplateNeedsAnInstanceIdSession() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles",
                "- rolearn: arn:aws:iam::1:role/Node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups: [system:nodes]\n"));
        assertThat(WhoIs.resolve(config, "arn:aws:sts::1:assumed-role/Node/i-0123456789abcdef0", false).notes())
                .containsExactly("{{EC2PrivateDNSName}} is looked up in EC2 at sign-in; shown unrendered");
        assertThat(WhoIs.resolve(config, "arn:aws:sts::1:assumed-role/Node/alice", false).notes())
                .anyMatch(n -> n.contains("refuses this caller"));
    }
}
