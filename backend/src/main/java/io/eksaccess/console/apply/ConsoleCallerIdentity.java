package io.eksaccess.console.apply;

import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterSource;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The IAM identity the console itself signs in to a cluster with, for the lockout check: the
 * role it assumes for the cluster, or else (EKS clusters) the caller identity of its default
 * credentials, asked of STS once per region and kept (a failure is not kept, and only means the
 * check cannot protect that identity this time; it is logged).
 */
@Component
class ConsoleCallerIdentity {

    private static final Logger log = LoggerFactory.getLogger(ConsoleCallerIdentity.class);

    private final URI endpointOverride;
    private final Map<String, String> callerByRegion = new ConcurrentHashMap<>();

    ConsoleCallerIdentity(@Value("${console.clusters.eks.endpoint-override:}") String endpointOverride) {
        this.endpointOverride = endpointOverride == null || endpointOverride.isBlank() ? null : URI.create(endpointOverride);
    }

    /** @return the ARN, or null when the console does not reach the cluster through aws-auth (kubeconfig, in-cluster) */
    String arnFor(Cluster cluster) {
        if (cluster.awsRoleArn() != null && !cluster.awsRoleArn().isBlank()) {
            return cluster.awsRoleArn();
        }
        if (cluster.source() != ClusterSource.EKS || cluster.awsRegion() == null) {
            return null;
        }
        String known = callerByRegion.get(cluster.awsRegion());
        if (known != null) {
            return known;
        }
        var builder = StsClient.builder().region(Region.of(cluster.awsRegion()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        try (StsClient sts = builder.build()) {
            String arn = sts.getCallerIdentity().arn();
            callerByRegion.put(cluster.awsRegion(), arn);
            return arn;
        } catch (SdkException e) {
            log.warn("cluster={} decision=no-console-identity (STS GetCallerIdentity failed: {}); the lockout check"
                    + " cannot protect the console's own mapping this time", cluster.name(), e.getMessage());
            return null;
        }
    }
}
