package io.eksaccess.console.cluster.eks;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Credentials the way an EKS user has them: the SDK's default chain (environment, profiles, IRSA
 * web identity, container and instance roles), optionally exchanged for a role. Endpoints follow
 * the SDK's own settings, e.g. {@code AWS_ENDPOINT_URL_STS}.
 */
public final class AwsCredentialsFactory {

    static final String SESSION_NAME = "eks-access-console";

    private AwsCredentialsFactory() {}

    /** The default chain, or the role assumed with it when {@code roleArn} is given (refreshed as it nears expiry). */
    public static AwsCredentialsProvider forRole(String roleArn, Region region) {
        return forRole(roleArn, region, null);
    }

    /** @param stsEndpoint an AWS-compatible STS endpoint (moto, LocalStack), or null for the SDK's own settings */
    public static AwsCredentialsProvider forRole(String roleArn, Region region, java.net.URI stsEndpoint) {
        AwsCredentialsProvider base = DefaultCredentialsProvider.builder().build();
        if (roleArn == null || roleArn.isBlank()) {
            return base;
        }
        var builder = StsClient.builder().region(region).credentialsProvider(base);
        if (stsEndpoint != null) {
            builder.endpointOverride(stsEndpoint);
        }
        StsClient sts = builder.build();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(request -> request.roleArn(roleArn).roleSessionName(SESSION_NAME))
                .asyncCredentialUpdateEnabled(false)
                .build();
    }
}
