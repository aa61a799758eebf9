package io.eksaccess.console.cluster.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.eks.EksAccessEntryReader;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AuthenticationMode;

/**
 * What a reader of the synced entries may trust (migration step 3 verifies the entries it just
 * created from them): a sync's {@code syncedAt} is when its read started, and a sync asked for while
 * one reads runs again after it. The EKS double holds a read half-way (its {@code eks-double/hold-reads}
 * tag) so the test can change EKS while the read is under way.
 */
class AccessEntriesCacheTest {

    static final MotoServer MOTO = MotoServer.get();
    static final Region REGION = Region.AP_NORTHEAST_3;
    static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    static final String HOLD = "eks-double/hold-reads";

    static {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @Test
    void aReadThatStartedBeforeAChangeIsDatedBeforeItAndARefreshDuringItReadsAgain() throws Exception {
        String name = "cache-" + System.nanoTime();
        String first = "arn:aws:iam::" + ACCOUNT + ":role/first";
        String during = "arn:aws:iam::" + ACCOUNT + ":role/made-during-the-read";
        String refreshed = "arn:aws:iam::" + ACCOUNT + ":role/made-during-the-second-read";
        try (EksClient eks = eks();
                AccessEntriesCache cache = new AccessEntriesCache(name, name,
                        new EksAccessEntryReader(REGION.id(), null, MOTO.endpoint(), Clock.systemUTC()),
                        Clock.systemUTC(), Duration.ofHours(1))) {
            String arn = eks.createCluster(c -> c.name(name).roleArn("arn:aws:iam::" + ACCOUNT + ":role/eks-cluster")
                    .resourcesVpcConfig(vpc -> vpc.subnetIds("subnet-1"))
                    .accessConfig(access -> access.authenticationMode(AuthenticationMode.API))).cluster().arn();
            eks.createAccessEntry(e -> e.clusterName(name).principalArn(first));

            // A change made while a read runs: that read must not be dated after it.
            Instant changed = changeDuringARead(eks, arn, cache, () -> { }, during);
            EksAccessEntries read = cache.entries().orElseThrow();
            assertThat(read.entries()).extracting(EksAccessEntries.Entry::principalArn).as("the read missed it")
                    .containsExactly(first);
            assertThat(read.syncedAt()).as("syncedAt is the read's start, before the change it may have missed")
                    .isBefore(changed);

            // A refresh asked for while a read runs is not dropped: it reads again once that read is done.
            Instant changedAgain = changeDuringARead(eks, arn, cache, cache::sync, refreshed);
            EksAccessEntries after = cache.entries().orElseThrow();
            assertThat(after.entries()).extracting(EksAccessEntries.Entry::principalArn)
                    .containsExactlyInAnyOrder(first, during, refreshed);
            assertThat(after.syncedAt()).isAfter(changedAgain);
            assertThat(cache.status().state()).isEqualTo(SyncState.LIVE);
        }
    }

    /**
     * Starts a sync that the double holds after it has listed the entries, creates {@code principal}'s entry,
     * runs {@code whileHeld}, releases the read and waits for the sync; returns when the entry was made.
     */
    private static Instant changeDuringARead(EksClient eks, String clusterArn, AccessEntriesCache cache,
            Runnable whileHeld, String principal) throws Exception {
        eks.tagResource(t -> t.resourceArn(clusterArn).tags(Map.of(HOLD, "true")));
        CompletableFuture<Void> sync = CompletableFuture.runAsync(cache::sync);
        Eventually.await("the read to be held", Duration.ofSeconds(30),
                () -> eks.listTagsForResource(l -> l.resourceArn(clusterArn)).tags(),
                tags -> tags.containsKey("eks-double/read-held"));
        eks.createAccessEntry(e -> e.clusterName(cache.cluster()).principalArn(principal));
        Instant changed = Instant.now();
        whileHeld.run();
        eks.untagResource(u -> u.resourceArn(clusterArn).tagKeys(HOLD));
        sync.get(60, TimeUnit.SECONDS);
        return changed;
    }

    static EksClient eks() {
        return EksClient.builder().endpointOverride(MOTO.endpoint()).region(REGION).credentialsProvider(MOTO.credentials())
                .build();
    }
}
