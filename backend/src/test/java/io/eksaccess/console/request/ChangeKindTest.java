package io.eksaccess.console.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.system.ConsoleException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The field checks that turn form and API input into a change (its stored form: MappingChangeJsonTest). */
class ChangeKindTest {

    @Test
    void buildSaysWhichFieldIsWrong() {
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build(" ", "u", List.of()))
                .isInstanceOf(ConsoleException.class).hasMessage("an IAM ARN is required");
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build("role/Dev", "u", List.of()))
                .hasMessageContaining("is not an ARN");
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build("arn:aws:iam::111122223333:role/Dev", "", List.of()))
                .hasMessageContaining("{{SessionName}}");
        assertThatThrownBy(() -> ChangeKind.MAP_ACCOUNT.build("1234", null, null))
                .hasMessageContaining("12 digits");
        assertThat(ChangeKind.UNMAP_USER.build(" arn:aws:iam::111122223333:user/a ", null, null))
                .isEqualTo(new MappingChange.UnmapUser("arn:aws:iam::111122223333:user/a"));
        assertThat(ChangeKind.splitGroups(" a, b,,a ")).containsExactly("a", "b", "a");
        assertThat(((MappingChange.MapUser) ChangeKind.MAP_USER.build("arn:aws:iam::111122223333:user/a", "a",
                List.of("x", " x ", ""))).entry().groups()).containsExactly("x");
    }

    /** Every partition the authenticator reads (AwsAuthParser.PARTITIONS) can be mapped; others are refused. */
    @Test
    void mappingsAcceptEveryPartitionTheAuthenticatorKnows() {
        for (String partition : List.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f",
                "aws-eusc")) {
            String role = "arn:" + partition + ":iam::111122223333:role/Dev";
            assertThat(((MappingChange.MapRole) ChangeKind.MAP_ROLE.build(role, "dev:{{SessionName}}", List.of("g")))
                    .entry().roleArn()).as(partition).isEqualTo(role);
            String user = "arn:" + partition + ":iam::111122223333:user/a";
            assertThat(((MappingChange.MapUser) ChangeKind.MAP_USER.build(user, "a", List.of("g"))).entry().userArn())
                    .as(partition).isEqualTo(user);
        }
        assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build("arn:aws-moon:iam::111122223333:role/Dev", "d", List.of()))
                .hasMessageContaining("arn:aws-moon:iam::111122223333:role/Dev");
    }

    /**
     * A mapping the apply would refuse as never matching a caller (AWSAUTH-005) is refused when it is built from
     * the form or the API, beside the ARN field and in the apply's words (the same message keys).
     */
    @Test
    void mappingsTheApplyWouldRefuseAreRefusedWhenFiledInTheApplysWords() {
        for (String[] refused : List.of(
                new String[] {"arn:aws:iam::111122223333:role/team/Dev", "text.awsauth.arn-role-path",
                        "role ARN 'arn:aws:iam::111122223333:role/team/Dev' has a path; callers arrive as assumed-role ARNs"
                                + " without the path, so it never matches. Use 'arn:aws:iam::111122223333:role/Dev'."},
                new String[] {"arn:aws-cn:iam::111122223333:role/a/b/c/Dev", "text.awsauth.arn-role-path", "has a path"},
                new String[] {"arn:aws:sts::111122223333:assumed-role/Dev/alice", "text.awsauth.arn-assumed-role",
                        "'arn:aws:sts::111122223333:assumed-role/Dev/alice' is an assumed-role (session) ARN; the"
                                + " authenticator compares the role's IAM ARN, so it never matches."
                                + " Use 'arn:aws:iam::111122223333:role/Dev'."},
                new String[] {"arn:aws:sts::111122223333:role/Dev", "text.awsauth.arn-invalid", "is not a valid IAM role ARN"},
                new String[] {"arn:aws:iam::111122223333:user/Dev", "text.awsauth.arn-wrong-section",
                        "is not an IAM role ARN. Move it to the matching section."})) {
            assertThatThrownBy(() -> ChangeKind.MAP_ROLE.build(refused[0], "dev:{{SessionName}}", List.of("g")))
                    .as(refused[0]).isInstanceOfSatisfying(ConsoleException.class, e -> {
                        assertThat(e.key()).isEqualTo(refused[1]);
                        assertThat(e.field()).isEqualTo("arn");
                    })
                    .hasMessageContaining(refused[2]);
        }
        assertThatThrownBy(() -> ChangeKind.MAP_USER.build("arn:aws:sts::111122223333:assumed-role/Dev/alice", "a",
                List.of("g"))).hasMessageContaining("is an assumed-role (session) ARN");
        assertThatThrownBy(() -> ChangeKind.MAP_USER.build("arn:aws:iam::111122223333:role/Dev", "a", List.of("g")))
                .hasMessageContaining("is not an IAM user ARN. Move it to the matching section.");
        // User ARNs keep their path (callers arrive with it); removals can still name an entry already there.
        assertThat(ChangeKind.MAP_USER.build("arn:aws:iam::111122223333:user/ops/alice", "alice", List.of("g")))
                .isInstanceOf(MappingChange.MapUser.class);
        assertThat(ChangeKind.UNMAP_ROLE.build("arn:aws:iam::111122223333:role/team/Dev", null, null))
                .isEqualTo(new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/team/Dev"));
    }

    /**
     * An access entry's principal that EKS refuses (an STS session ARN, anything but an IAM role or user) is refused
     * when filed, beside the ARN field and in the planner's words, for every entry kind; role paths are fine here
     * (EKS matches entries by the role's full ARN).
     */
    @Test
    void accessEntryPrincipalsEksRefusesAreRefusedWhenFiledInThePlannersWords() {
        for (ChangeKind kind : List.of(ChangeKind.CREATE_ACCESS_ENTRY, ChangeKind.UPDATE_ACCESS_ENTRY,
                ChangeKind.DELETE_ACCESS_ENTRY, ChangeKind.ASSOCIATE_ACCESS_POLICY, ChangeKind.DISASSOCIATE_ACCESS_POLICY)) {
            ChangeFields session = new ChangeFields("arn:aws:sts::111122223333:assumed-role/Dev/alice", null, null, null,
                    "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", null, null, null);
            assertThatThrownBy(() -> session.build(kind)).as(kind.name())
                    .isInstanceOfSatisfying(ConsoleException.class, e -> {
                        assertThat(e.key()).isEqualTo("text.entry-rules.session-arn");
                        assertThat(e.field()).isEqualTo("arn");
                    });
            ChangeFields notIam = new ChangeFields("arn:aws:s3:::bucket", null, null, null,
                    "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", null, null, null);
            assertThatThrownBy(() -> notIam.build(kind)).as(kind.name())
                    .hasMessage("The principal must be an IAM role or user ARN, such as arn:aws:iam::111122223333:role/Admin.");
        }
        assertThat(new ChangeFields("arn:aws:iam::111122223333:role/team/Dev", null, null, null, null, null, null, null)
                .build(ChangeKind.CREATE_ACCESS_ENTRY)).isInstanceOf(io.eksaccess.console.apply.AccessEntryChange.CreateAccessEntry.class);
    }

    /** Access policy ARNs of every partition EKS runs in are taken; other texts are refused beside the field. */
    @Test
    void accessPolicyArnsOfEveryKnownPartitionAreTakenAndOthersRefusedBesideTheField() {
        String role = "arn:aws:iam::111122223333:role/Dev";
        for (String partition : List.of("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b")) {
            String policy = "arn:" + partition + ":eks::aws:cluster-access-policy/AmazonEKSViewPolicy";
            assertThat(new ChangeFields(role, null, null, null, policy, null, null, null)
                    .build(ChangeKind.ASSOCIATE_ACCESS_POLICY)).as(partition)
                    .isEqualTo(new io.eksaccess.console.apply.AccessEntryChange.AssociateAccessPolicy(role, policy,
                            io.eksaccess.console.accessentry.AccessScope.cluster()));
        }
        for (String refused : List.of("arn:aws-moon:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                "arn:aws:iam::aws:policy/ReadOnlyAccess", "AmazonEKSViewPolicy")) {
            assertThatThrownBy(() -> new ChangeFields(role, null, null, null, refused, null, null, null)
                    .build(ChangeKind.ASSOCIATE_ACCESS_POLICY)).as(refused)
                    .isInstanceOfSatisfying(ConsoleException.class, e -> assertThat(e.field()).isEqualTo("policyArn"))
                    .hasMessageContaining("'" + refused + "'");
        }
    }

    @Test
    void roleUsernameSuggestionCarriesTheSessionName() {
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_ROLE, "arn:aws:iam::111122223333:role/team/Dev"))
                .isEqualTo("Dev:{{SessionName}}");
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_ROLE, "")).isEqualTo("{{SessionName}}");
        assertThat(RequestPreviewer.suggestUsername(ChangeKind.MAP_USER, "arn:aws:iam::111122223333:user/a")).isNull();
    }
}
