package io.eksaccess.console.cluster;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code console.clusters.*}: where clusters come from. README's configuration table documents each
 * property; keep the two in step.
 *
 * @param kubeconfig kubeconfig files whose contexts become clusters; empty means
 *     {@code $KUBECONFIG} or {@code ~/.kube/config}
 * @param eks EKS discovery through the AWS API
 */
@ConfigurationProperties("console.clusters")
public record ClusterProperties(@DefaultValue List<Path> kubeconfig, @DefaultValue Eks eks) {

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
