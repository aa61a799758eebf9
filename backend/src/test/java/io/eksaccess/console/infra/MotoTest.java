package io.eksaccess.console.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.testsupport.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The AWS SDK talks to a real moto server over HTTP: STS and IAM answer as AWS would. */
class MotoTest {

    private final MotoServer moto = MotoServer.get();

    @Test
    void stsGetCallerIdentityAnswers() {
        try (StsClient sts = StsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(MotoServer.REGION)
                .credentialsProvider(moto.credentials())
                .build()) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();
            assertThat(identity.account()).isEqualTo(MotoServer.ACCOUNT_ID);
            assertThat(identity.arn()).startsWith("arn:aws:");
        }
    }

    @Test
    void iamGetRoleFindsACreatedRoleAndNotAMissingOne() {
        try (IamClient iam = IamClient.builder()
                .endpointOverride(moto.endpoint())
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(moto.credentials())
                .build()) {
            String name = "eks-admins-" + System.nanoTime();
            iam.createRole(role -> role.roleName(name).path("/teams/").assumeRolePolicyDocument("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                     "Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"""));

            assertThat(iam.getRole(get -> get.roleName(name)).role().arn())
                    .isEqualTo("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/teams/" + name);
            assertThatThrownBy(() -> iam.getRole(get -> get.roleName(name + "-missing")))
                    .isInstanceOf(NoSuchEntityException.class);
        }
    }
}
