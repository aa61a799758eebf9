package io.eksaccess.console.migration;

import io.eksaccess.console.awsauth.AwsProperties;
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
 * The migration page's IAM access ({@code GetRole} for role paths) follows the same switch as the
 * aws-auth IAM checks: {@code console.aws.iam-checks} and {@code console.aws.endpoint-override}.
 */
@Configuration(proxyBeanMethods = false)
class MigrationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MigrationConfiguration.class);

    @Bean
    RolePaths migrationRolePaths(AwsProperties aws) {
        if (aws.iamChecks() == AwsProperties.IamChecks.OFF) {
            return RolePaths.OFFLINE;
        }
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        if (aws.iamChecks() == AwsProperties.IamChecks.AUTO) {
            try {
                credentials.resolveCredentials();
            } catch (SdkException e) {
                log.info("Migration planner: no AWS credentials, so role paths are not restored from IAM");
                return RolePaths.OFFLINE;
            }
        }
        IamClientBuilder iam = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials)
                .overrideConfiguration(c -> c.apiCallTimeout(Duration.ofSeconds(5)));
        if (aws.endpointOverride() != null) {
            iam.endpointOverride(aws.endpointOverride());
        }
        return new RolePaths(iam.build(), aws.iamCacheTtl(), java.time.Clock.systemUTC());
    }
}
