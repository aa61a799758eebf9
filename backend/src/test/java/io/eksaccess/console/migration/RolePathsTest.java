package io.eksaccess.console.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.system.Sentence;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** Role paths restored with GetRole against moto: an SSO role under aws-reserved, a plain role, a missing one. */
class RolePathsTest {

    static final MotoServer MOTO = MotoServer.get();
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
             "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    final String suffix = "" + System.nanoTime();
    final IamClient iam = IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
            .credentialsProvider(MOTO.credentials()).build();

    @AfterEach
    void close() {
        iam.close();
    }

    @Test
    void ssoRolePathIsRestoredAndItsOfflineNoteReplaced() {
        String sso = "AWSReservedSSO_Admins_" + suffix;
        iam.createRole(r -> r.roleName(sso).path("/aws-reserved/sso.amazonaws.com/eu-west-1/").assumeRolePolicyDocument(TRUST));
        iam.createRole(r -> r.roleName("Plain" + suffix).assumeRolePolicyDocument(TRUST));
        MigrationPlan plan = MigrationPlanner.plan(AwsAuthParser.parse(Map.of("mapRoles", """
                - rolearn: arn:aws:iam::%1$s:role/%2$s
                  username: sso-admin:{{SessionName}}
                  groups: [admins]
                - rolearn: arn:aws:iam::%1$s:role/Plain%3$s
                  username: plain
                  groups: [devs]
                - rolearn: arn:aws:iam::%1$s:role/Gone%3$s
                  username: gone
                  groups: [devs]
                """.formatted(ACCOUNT, sso, suffix))), List.of());
        assertThat(plan.notes()).extracting(Sentence::text).anySatisfy(n -> assertThat(n).startsWith("mapRoles[0]: "));

        RolePaths.Result result = new RolePaths(iam).restore(plan);

        assertThat(result.online()).isTrue();
        assertThat(result.restored()).containsExactly(new RolePaths.Restored("mapRoles[0]",
                "arn:aws:iam::" + ACCOUNT + ":role/" + sso,
                "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/eu-west-1/" + sso));
        assertThat(result.plan().entries()).extracting(p -> p.entry().principalArn()).containsExactly(
                "arn:aws:iam::" + ACCOUNT + ":role/aws-reserved/sso.amazonaws.com/eu-west-1/" + sso,
                "arn:aws:iam::" + ACCOUNT + ":role/Plain" + suffix,
                "arn:aws:iam::" + ACCOUNT + ":role/Gone" + suffix);
        assertThat(result.plan().entries().get(0).entry().username()).isEqualTo("sso-admin:{{SessionName}}");
        assertThat(result.plan().notes()).extracting(Sentence::text).noneSatisfy(n -> assertThat(n).startsWith("mapRoles[0]: "));
        assertThat(result.plan().notes()).extracting(Sentence::text).anySatisfy(n -> assertThat(n)
                .startsWith("mapRoles[2]: IAM has no role Gone" + suffix));
    }

    @Test
    void otherAccountsRoleIsLeftAsWrittenWithANote() {
        iam.createRole(r -> r.roleName("Shared" + suffix).assumeRolePolicyDocument(TRUST));
        MigrationPlan plan = MigrationPlanner.plan(AwsAuthParser.parse(Map.of("mapRoles", """
                - rolearn: arn:aws:iam::111122223333:role/Shared%s
                  username: shared
                  groups: [devs]
                """.formatted(suffix))), List.of());
        RolePaths.Result result = new RolePaths(iam).restore(plan);
        assertThat(result.restored()).isEmpty();
        assertThat(result.plan().entries().get(0).entry().principalArn())
                .isEqualTo("arn:aws:iam::111122223333:role/Shared" + suffix);
        assertThat(result.plan().notes()).extracting(Sentence::text).anySatisfy(n -> assertThat(n).contains("is not in the console's account"));
    }

    @Test
    void answersAreReusedUntilTheyExpire() {
        String name = "Cached" + suffix;
        iam.createRole(r -> r.roleName(name).path("/teams/").assumeRolePolicyDocument(TRUST));
        MigrationPlan plan = MigrationPlanner.plan(AwsAuthParser.parse(Map.of("mapRoles", """
                - rolearn: arn:aws:iam::%s:role/%s
                  username: cached
                  groups: [devs]
                """.formatted(ACCOUNT, name))), List.of());
        io.eksaccess.console.testsupport.MovableClock clock = new io.eksaccess.console.testsupport.MovableClock();
        RolePaths paths = new RolePaths(iam, java.time.Duration.ofMinutes(10), clock);
        assertThat(paths.restore(plan).restored()).hasSize(1);

        iam.deleteRole(r -> r.roleName(name));
        clock.advance(java.time.Duration.ofMinutes(9));
        assertThat(paths.restore(plan).restored()).as("cached").hasSize(1);
        clock.advance(java.time.Duration.ofMinutes(2));
        RolePaths.Result again = paths.restore(plan);
        assertThat(again.restored()).as("asked again").isEmpty();
        assertThat(again.plan().notes()).extracting(Sentence::text).anySatisfy(n -> assertThat(n).contains("IAM has no role " + name));
    }

    @Test
    void offlineSaysPathsWereNotRestored() {
        MigrationPlan plan = MigrationPlanner.plan(AwsAuthParser.parse(Map.of("mapRoles", """
                - rolearn: arn:aws:iam::111122223333:role/Dev
                  username: dev
                  groups: [devs]
                """)), List.of());
        RolePaths.Result result = RolePaths.OFFLINE.restore(plan);
        assertThat(result.online()).isFalse();
        assertThat(result.plan().notes()).extracting(Sentence::text).last().asString().contains("role paths were not restored");
    }
}
