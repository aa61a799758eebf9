package io.eksaccess.console.awsauth;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code console.aws.*}: the console's own use of AWS APIs besides EKS discovery (IAM lookups for
 * AWSAUTH-008 and the trust-policy findings). README's configuration table documents each property.
 *
 * @param iamChecks whether mapped roles and users are looked up in IAM (GetRole / GetUser)
 * @param iamCacheTtl how long an IAM answer is reused
 * @param endpointOverride an AWS-compatible endpoint for IAM and STS (tests, LocalStack, moto)
 */
@ConfigurationProperties("console.aws")
public record AwsProperties(
        @DefaultValue("auto") IamChecks iamChecks,
        @DefaultValue("10m") Duration iamCacheTtl,
        URI endpointOverride) {

    /** Whether AWSAUTH-008 asks IAM if mapped roles and users exist. */
    public enum IamChecks {
        /** On when the AWS SDK's default credential chain yields credentials at start-up. */
        AUTO,
        ON,
        OFF
    }
}
