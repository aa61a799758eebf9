package io.eksaccess.console.report.findings;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.awsauth.IamPrincipalLookup;
import io.eksaccess.console.testsupport.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** IRSA-001 with trust policies read from IAM (moto) through GetRole, as the console reads them. */
class IamTrustPoliciesTest {

    static final MotoServer MOTO = MotoServer.get();
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String PROVIDER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    static final String SUFFIX = "-" + System.nanoTime();
    static IamTrustPolicies policies;

    @BeforeAll
    static void createRoles() {
        try (IamClient iam = client()) {
            iam.createRole(r -> r.roleName("open" + SUFFIX).assumeRolePolicyDocument(webIdentity(
                    "\"StringEquals\":{\"" + PROVIDER + ":aud\":\"sts.amazonaws.com\"}")));
            iam.createRole(r -> r.roleName("wild" + SUFFIX).assumeRolePolicyDocument(webIdentity(
                    "\"StringLike\":{\"" + PROVIDER + ":sub\":\"system:serviceaccount:*\"}")));
            iam.createRole(r -> r.roleName("scoped" + SUFFIX).assumeRolePolicyDocument(webIdentity(
                    "\"StringEquals\":{\"" + PROVIDER + ":sub\":\"system:serviceaccount:web:scoped\","
                            + "\"" + PROVIDER + ":aud\":\"sts.amazonaws.com\"}")));
        }
        policies = new IamTrustPolicies(client(), Duration.ofMinutes(10), Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        policies.close();
    }

    @Test
    void getRoleReturnsTheDecodedTrustPolicy() {
        String document = policies.trustPolicyOf(arn("scoped" + SUFFIX)).orElseThrow();
        assertThat(document).startsWith("{").contains(PROVIDER + ":sub", "system:serviceaccount:web:scoped");
        assertThat(policies.trustPolicyOf(arn("missing" + SUFFIX))).as("no such role").isEmpty();
        assertThat(policies.trustPolicyOf("arn:aws:iam::999999999999:role/scoped" + SUFFIX))
                .as("a role of the same name in another account is not this one").isEmpty();
        assertThat(policies.trustPolicyOf("not-an-arn")).isEmpty();
    }

    @Test
    void irsa001FlagsTheUnscopedAndWildcardRolesOnly() {
        FindingsInput input = FindingsFixtures.cluster(String.join("---\n", List.of(
                account("open", "open" + SUFFIX), account("wild", "wild" + SUFFIX), account("scoped", "scoped" + SUFFIX),
                account("gone", "missing" + SUFFIX))));
        FindingsEngine.Evaluation evaluation = new FindingsEngine(IamPrincipalLookup.NONE, policies).evaluate(input);
        List<SecurityFinding> irsa = evaluation.findings().stream().filter(f -> f.id().equals("IRSA-001")).toList();
        assertThat(irsa).extracting(SecurityFinding::resource)
                .containsExactly("ServiceAccount/web/open", "ServiceAccount/web/wild");
        assertThat(irsa.get(0).message()).contains(arn("open" + SUFFIX), "without a :sub condition");
        assertThat(irsa.get(1).message()).contains("wildcard (system:serviceaccount:*)");
        assertThat(evaluation.notChecked()).anyMatch(note -> note.startsWith("IRSA-001") && note.contains("missing" + SUFFIX));
    }

    static String account(String name, String role) {
        return """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: %s, namespace: web, annotations: {eks.amazonaws.com/role-arn: "%s"}}
                """.formatted(name, arn(role));
    }

    static String arn(String role) {
        return "arn:aws:iam::" + ACCOUNT + ":role/" + role;
    }

    static String webIdentity(String condition) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"Federated":"arn:aws:iam::%s:oidc-provider/%s"},
                 "Action":"sts:AssumeRoleWithWebIdentity","Condition":{%s}}]}""".formatted(ACCOUNT, PROVIDER, condition);
    }

    static IamClient client() {
        return IamClient.builder().endpointOverride(MOTO.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(MOTO.credentials()).build();
    }
}
