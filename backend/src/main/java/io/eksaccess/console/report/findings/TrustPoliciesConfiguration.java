package io.eksaccess.console.report.findings;

import io.eksaccess.console.awsauth.AwsProperties;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;

/**
 * IRSA-001's IAM access follows the same switch as the aws-auth IAM checks
 * ({@code console.aws.iam-checks}, {@code console.aws.endpoint-override}, {@code console.aws.iam-cache-ttl}).
 */
@Configuration(proxyBeanMethods = false)
class TrustPoliciesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TrustPoliciesConfiguration.class);

    @Bean
    TrustPolicies trustPolicies(AwsProperties aws) {
        if (aws.iamChecks() == AwsProperties.IamChecks.OFF) {
            return TrustPolicies.NONE;
        }
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        if (aws.iamChecks() == AwsProperties.IamChecks.AUTO) {
            try {
                credentials.resolveCredentials();
            } catch (SdkException e) {
                log.info("IRSA trust policy checks (IRSA-001) off: no AWS credentials");
                return TrustPolicies.NONE;
            }
        }
        IamClientBuilder iam = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials)
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5)));
        if (aws.endpointOverride() != null) {
            iam.endpointOverride(aws.endpointOverride());
        }
        return new IamTrustPolicies(iam.build(), aws.iamCacheTtl(), Clock.systemUTC());
    }
}
