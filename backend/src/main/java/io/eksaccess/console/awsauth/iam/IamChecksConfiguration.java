package io.eksaccess.console.awsauth.iam;

import io.eksaccess.console.awsauth.AwsProperties;
import io.eksaccess.console.awsauth.IamPrincipalLookup;
import java.time.Clock;
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
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/**
 * The {@link IamPrincipalLookup} the console uses: IAM through the SDK's default credential chain
 * when {@code console.aws.iam-checks} is {@code on}, or {@code auto} and that chain yields
 * credentials; otherwise none (AWSAUTH-008 then reports nothing).
 */
@Configuration(proxyBeanMethods = false)
class IamChecksConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IamChecksConfiguration.class);

    @Bean
    IamPrincipalLookup iamPrincipalLookup(AwsProperties aws) {
        if (aws.iamChecks() == AwsProperties.IamChecks.OFF) {
            log.info("IAM existence checks (AWSAUTH-008) off: console.aws.iam-checks=off");
            return IamPrincipalLookup.NONE;
        }
        AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        if (aws.iamChecks() == AwsProperties.IamChecks.AUTO) {
            try {
                credentials.resolveCredentials();
            } catch (SdkException e) {
                log.info("IAM existence checks (AWSAUTH-008) off: the AWS SDK's default credential chain found no"
                        + " credentials; set console.aws.iam-checks=on to require them");
                log.debug("No AWS credentials: {}", e.getMessage());
                return IamPrincipalLookup.NONE;
            }
        }
        IamClientBuilder iam = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials)
                .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofSeconds(5)));
        StsClientBuilder sts = StsClient.builder().region(stsRegion()).credentialsProvider(credentials)
                .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofSeconds(5)));
        if (aws.endpointOverride() != null) {
            iam.endpointOverride(aws.endpointOverride());
            sts.endpointOverride(aws.endpointOverride());
        }
        log.info("IAM existence checks (AWSAUTH-008) on, answers cached for {}", aws.iamCacheTtl());
        return new IamClientPrincipalLookup(iam.build(), sts.build(), aws.iamCacheTtl(), Clock.systemUTC());
    }

    /** The SDK's region (AWS_REGION, profile, instance), else us-east-1: STS only tells who we are. */
    private static Region stsRegion() {
        try {
            return new software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            return Region.US_EAST_1;
        }
    }
}
