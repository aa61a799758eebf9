package io.eksaccess.console.system;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything under {@code console.*}. README's configuration table documents each property;
 * keep the two in step.
 *
 * @param dataDir where the console keeps local state (the embedded database lives in
 *     {@code <dataDir>/postgres})
 * @param oidc the OpenID Connect provider people sign in with; unset means the demo issuer
 * @param roles which OIDC groups grant which console role
 * @param clusters where clusters come from
 * @param aws the console's own use of AWS APIs besides EKS discovery
 */
@ConfigurationProperties("console")
public record ConsoleProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Oidc oidc,
        @DefaultValue Roles roles,
        @DefaultValue Clusters clusters,
        @DefaultValue Aws aws) {

    /** Whether AWSAUTH-008 asks IAM if mapped roles and users exist. */
    public enum IamChecks {
        /** On when the AWS SDK's default credential chain yields credentials at start-up. */
        AUTO,
        ON,
        OFF
    }

    /**
     * @param iamChecks whether mapped roles and users are looked up in IAM (GetRole / GetUser)
     * @param iamCacheTtl how long an IAM answer is reused
     * @param endpointOverride an AWS-compatible endpoint for IAM and STS (tests, LocalStack, moto)
     */
    public record Aws(
            @DefaultValue("auto") IamChecks iamChecks,
            @DefaultValue("10m") java.time.Duration iamCacheTtl,
            URI endpointOverride) {}

    /**
     * @param issuerUri the issuer; its {@code /.well-known/openid-configuration} must answer at start-up
     * @param clientId the client registered at the issuer
     * @param clientSecret the client's secret (never logged)
     * @param scopes scopes to request; {@code groups} is needed for console roles with Dex
     * @param groupsClaim the ID-token claim that lists the person's groups
     * @param displayName the provider's name on the login button
     */
    public record Oidc(
            URI issuerUri,
            String clientId,
            String clientSecret,
            @DefaultValue({"openid", "profile", "email", "groups"}) List<String> scopes,
            @DefaultValue("groups") String groupsClaim,
            @DefaultValue("your identity provider") String displayName) {

        public boolean configured() {
            return issuerUri != null && !issuerUri.toString().isBlank();
        }
    }

    /**
     * OIDC groups per console role. An empty {@code requesterGroups} makes every signed-in person a
     * requester, as the design says. {@code adminUsers} names admins by email or preferred
     * username, for issuers that send no groups (Dex's static passwords) and for bootstrapping.
     */
    public record Roles(
            @DefaultValue("console-admins") List<String> adminGroups,
            @DefaultValue("console-approvers") List<String> approverGroups,
            @DefaultValue List<String> requesterGroups,
            @DefaultValue("console-auditors") List<String> auditorGroups,
            @DefaultValue List<String> adminUsers) {}

    /**
     * @param kubeconfig kubeconfig files whose contexts become clusters; empty means
     *     {@code $KUBECONFIG} or {@code ~/.kube/config}
     * @param eks EKS discovery through the AWS API
     */
    public record Clusters(@DefaultValue List<Path> kubeconfig, @DefaultValue Eks eks) {}

    /**
     * @param regions regions to list EKS clusters in; empty turns discovery off
     * @param roleArns roles to assume, one per account, for listing and for the clusters' tokens;
     *     empty means the console's own credentials (one account)
     * @param endpointOverride an AWS-compatible endpoint for EKS and STS (tests, LocalStack, moto)
     */
    public record Eks(
            @DefaultValue List<String> regions,
            @DefaultValue List<String> roleArns,
            java.net.URI endpointOverride) {}
}
