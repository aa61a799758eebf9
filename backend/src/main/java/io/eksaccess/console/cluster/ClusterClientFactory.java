package io.eksaccess.console.cluster;

import io.eksaccess.console.cluster.eks.AwsCredentialsFactory;
import io.eksaccess.console.cluster.eks.EksTokenCache;
import io.eksaccess.console.cluster.eks.EksTokenGenerator;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.time.Clock;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.regions.Region;

/**
 * A fabric8 client for a registered cluster, with the credentials its source implies: the
 * kubeconfig context's own, an EKS token made in-process (no {@code aws} binary needed), or the
 * pod's service account when the console runs inside the cluster.
 */
@Component
public class ClusterClientFactory {

    private final Clock clock = Clock.systemUTC();
    private final EksTokenCache tokens = new EksTokenCache(clock);

    public KubernetesClient clientFor(Cluster cluster) {
        Config config = switch (cluster.source()) {
            case KUBECONFIG, MANUAL -> Config.fromKubeconfig(cluster.kubeContext(), new File(cluster.kubeconfigPath()));
            case IN_CLUSTER -> Config.autoConfigure(null);
            case EKS -> eksConfig(cluster);
        };
        // Informers list once and then watch; a lost watch is re-established with back-off.
        config.setRequestTimeout(30_000);
        config.setWatchReconnectInterval(1_000);
        config.setWatchReconnectLimit(-1);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private Config eksConfig(Cluster cluster) {
        Region region = Region.of(cluster.awsRegion());
        var credentials = AwsCredentialsFactory.forRole(cluster.awsRoleArn(), region);
        EksTokenGenerator generator = new EksTokenGenerator(clock);
        EksTokenCache.Key key = new EksTokenCache.Key(cluster.eksClusterName(), region.id(), cluster.awsRoleArn());
        Config config = Config.empty();
        config.setMasterUrl(cluster.apiServerUrl());
        config.setCaCertData(cluster.caData());
        config.setOauthTokenProvider(() -> tokens.get(key,
                () -> generator.generate(cluster.eksClusterName(), region.id(), credentials.resolveCredentials())).token());
        return config;
    }
}
