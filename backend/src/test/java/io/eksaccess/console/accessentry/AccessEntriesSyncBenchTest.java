package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.cluster.eks.EksAccessEntryReader;
import io.eksaccess.console.testsupport.MotoServer;
import java.time.Clock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * The EKS quota, 3,000 access entries (one in ten with an access policy), synced against the moto
 * double: prints the calls and time for README ("Access entries", sync figures). Asserts what was
 * read and the number of calls, never the time.
 */
class AccessEntriesSyncBenchTest {

    static final int ENTRIES = 3_000;

    @Test
    void threeThousandEntriesSyncWithOneDescribePerEntryAndPolicyListsOnlyWhereThereArePolicies() {
        MotoServer moto = MotoServer.get();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        String cluster = "quota-" + System.nanoTime();
        Region region = Region.CA_CENTRAL_1;
        try (EksClient eks = EksClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(moto.credentials()).build()) {
            eks.createCluster(c -> c.name(cluster).roleArn("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/eks")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                    .accessConfig(a -> a.authenticationMode(AuthenticationMode.API)));
            IntStream.range(0, ENTRIES).parallel().forEach(i -> {
                String principal = "arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":role/team-" + i;
                eks.createAccessEntry(e -> e.clusterName(cluster).principalArn(principal).kubernetesGroups("team-" + i));
                if (i % 10 == 0) {
                    eks.associateAccessPolicy(a -> a.clusterName(cluster).principalArn(principal)
                            .policyArn("arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy")
                            .accessScope(s -> s.type("namespace").namespaces("team-" + i)));
                }
            });
        }
        try (EksAccessEntryReader reader = new EksAccessEntryReader(region.id(), null, moto.endpoint(), Clock.systemUTC())) {
            EksAccessEntries read = reader.read(cluster);
            System.out.printf("access-entry sync: %d entries (%d with a policy), %d EKS calls, %d ms, %d parallel calls%n",
                    read.entries().size(), ENTRIES / 10, read.calls(), read.took().toMillis(), 8);
            assertThat(read.entries()).hasSize(ENTRIES);
            assertThat(read.entries().stream().filter(e -> !e.policies().isEmpty())).hasSize(ENTRIES / 10);
            int catalogue = read.catalogue().size();
            // policies 1, entries 30 pages, the Edit filter 3 pages and the others 1 each, 3,000 describes, 300 policy lists
            assertThat(read.calls()).isEqualTo(1 + ENTRIES / 100 + (catalogue - 1) + 3 + ENTRIES + ENTRIES / 10);
        }
    }
}
