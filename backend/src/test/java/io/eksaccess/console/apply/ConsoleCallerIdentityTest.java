package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterSource;
import io.eksaccess.console.testsupport.MotoServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The console's own identity for the lockout check, with STS on moto. */
class ConsoleCallerIdentityTest {

    static final MotoServer MOTO = MotoServer.get();

    static {
        // The default credential chain, as in production; moto accepts any credentials.
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    final ConsoleCallerIdentity identity = new ConsoleCallerIdentity(MOTO.endpoint().toString());

    @Test
    void theAssumedRoleWhenThereIsOneOtherwiseTheCallerIdentityOfEksClustersOnly() {
        assertThat(identity.arnFor(cluster(ClusterSource.EKS, "arn:aws:iam::123456789012:role/console")))
                .isEqualTo("arn:aws:iam::123456789012:role/console");
        String caller = identity.arnFor(cluster(ClusterSource.EKS, null));
        assertThat(caller).startsWith("arn:aws:").contains(MotoServer.ACCOUNT_ID);
        assertThat(identity.arnFor(cluster(ClusterSource.KUBECONFIG, null))).isNull();
    }

    @Test
    void anAssumedRoleCallerIsProtectedThroughItsRoleMapping() {
        // What STS answers when the console runs with a role (IRSA, instance profile): moto answers
        // with a user instead, so the caller ARN is written here as AWS would return it.
        String caller = "arn:aws:sts::123456789012:assumed-role/console-node/i-0abc";
        Map<String, String> data = Map.of("mapRoles", """
                - rolearn: arn:aws:iam::123456789012:role/console-node
                  username: console
                  groups: [system:masters]
                - rolearn: arn:aws:iam::123456789012:role/other-admins
                  username: other:{{SessionName}}
                  groups: [system:masters]
                """);
        ChangePlanner planner = new ChangePlanner(new AwsAuthValidator(IamPrincipalLookup.NONE),
                new LockoutCheck(caller, Set.of(LockoutCheck.MASTERS)));

        assertThat(planner.plan(data, new MappingChange.UnmapRole("arn:aws:iam::123456789012:role/Console-Node"))
                .lockoutProblems()).anyMatch(problem -> problem.contains("console's own access"));
        assertThat(planner.plan(data, new MappingChange.UnmapRole("arn:aws:iam::123456789012:role/other-admins"))
                .lockoutProblems()).isEmpty();
    }

    @Test
    void aCallerArnTheAuthenticatorWouldRefuseLeavesNothingToProtect() {
        LockoutCheck check = new LockoutCheck("arn:aws:sts::123456789012:user/moto", Set.of(LockoutCheck.MASTERS));
        var config = io.eksaccess.console.awsauth.AwsAuthParser.parse(Map.of());
        assertThat(check.problems(config, config)).isEmpty();
    }

    static Cluster cluster(ClusterSource source, String roleArn) {
        return new Cluster(1, "c", source, "https://example.invalid", null, null, MotoServer.ACCOUNT_ID,
                MotoServer.REGION.id(), "c", roleArn, null, "CONFIG_MAP", null, true, false, List.of(), true, Instant.now(),
                Instant.now());
    }
}
