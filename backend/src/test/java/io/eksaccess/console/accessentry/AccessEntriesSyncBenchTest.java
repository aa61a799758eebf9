package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.cache.EksAccessEntries;
import io.eksaccess.console.cluster.eks.EksAccessEntryReader;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import java.time.Clock;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * Many access entries (one in ten with an access policy), synced against the moto double: asserts
 * what was read and the number of calls, never the time, and prints the calls and time. In the
 * suite 1,100 entries, enough that both the entry list and the policy filter page (100 a page);
 * {@code .ci/bench/access-entry-sync.sh} runs the same test at the EKS quota, 3,000 entries, for
 * README's sync figures (the size is what the figure is about, not what the assertions are about).
 */
@RunsAlongside(seconds = 10)
class AccessEntriesSyncBenchTest {

    static final int ENTRIES = Integer.getInteger("access-entries.sync.entries", 1_100);
    static final int PAGE = 100;

    @Test
    void manyEntriesSyncWithOneDescribePerEntryAndPolicyListsOnlyWhereThereArePolicies() {
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
            // policies 1, the entries' pages, the Edit filter's pages and the other filters 1 each, a describe per entry,
            // a policy list per entry with a policy (at 3,000: 1 + 30 + (catalogue - 1) + 3 + 3,000 + 300)
            assertThat(ENTRIES / 10).as("the policy filter pages").isGreaterThan(PAGE);
            assertThat(read.calls()).isEqualTo(1 + pages(ENTRIES) + (catalogue - 1) + pages(ENTRIES / 10) + ENTRIES + ENTRIES / 10);
        }
    }

    static int pages(int items) {
        return (items + PAGE - 1) / PAGE;
    }
}
