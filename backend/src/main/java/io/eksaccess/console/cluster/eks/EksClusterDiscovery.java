package io.eksaccess.console.cluster.eks;

import io.eksaccess.console.cluster.ClusterProperties;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.EksClientBuilder;
import software.amazon.awssdk.services.eks.model.AccessConfigResponse;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.VpcConfigResponse;

/** Lists and describes the EKS clusters of the configured regions (and accounts, through their roles). */
public class EksClusterDiscovery {

    private final ClusterProperties.Eks settings;

    public EksClusterDiscovery(ClusterProperties.Eks settings) {
        this.settings = settings;
    }

    public boolean enabled() {
        return !settings.regions().isEmpty();
    }

    public List<DiscoveredEksCluster> discover() {
        List<DiscoveredEksCluster> found = new ArrayList<>();
        List<String> roles = settings.roleArns().isEmpty() ? java.util.Collections.singletonList(null) : settings.roleArns();
        for (String roleArn : roles) {
            for (String region : settings.regions()) {
                found.addAll(discoverIn(Region.of(region), roleArn));
            }
        }
        return found;
    }

    List<DiscoveredEksCluster> discoverIn(Region region, String roleArn) {
        try (EksClient eks = eksClient(region, roleArn)) {
            List<DiscoveredEksCluster> found = new ArrayList<>();
            for (String name : eks.listClustersPaginator(request -> {}).clusters()) {
                found.add(describe(eks.describeCluster(request -> request.name(name)).cluster(), region, roleArn));
            }
            return found;
        }
    }

    private static DiscoveredEksCluster describe(Cluster cluster, Region region, String roleArn) {
        VpcConfigResponse vpc = cluster.resourcesVpcConfig();
        AccessConfigResponse access = cluster.accessConfig();
        return new DiscoveredEksCluster(
                cluster.name(),
                accountOf(cluster.arn()),
                region.id(),
                cluster.endpoint(),
                cluster.certificateAuthority() == null ? null : cluster.certificateAuthority().data(),
                access == null || access.authenticationMode() == null ? null : access.authenticationModeAsString(),
                access == null ? null : access.bootstrapClusterCreatorAdminPermissions(),
                vpc == null ? null : vpc.endpointPublicAccess(),
                vpc == null ? null : vpc.endpointPrivateAccess(),
                vpc == null || !vpc.hasPublicAccessCidrs() ? List.of() : vpc.publicAccessCidrs(),
                roleArn);
    }

    /** arn:aws:eks:REGION:ACCOUNT:cluster/NAME → ACCOUNT */
    static String accountOf(String clusterArn) {
        String[] parts = clusterArn == null ? new String[0] : clusterArn.split(":");
        return parts.length > 4 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }

    private EksClient eksClient(Region region, String roleArn) {
        EksClientBuilder builder = EksClient.builder().region(region).credentialsProvider(credentials(region, roleArn));
        if (settings.endpointOverride() != null) {
            builder.endpointOverride(settings.endpointOverride());
        }
        return builder.build();
    }

    private AwsCredentialsProvider credentials(Region region, String roleArn) {
        return AwsCredentialsFactory.forRole(roleArn, region, settings.endpointOverride());
    }
}
