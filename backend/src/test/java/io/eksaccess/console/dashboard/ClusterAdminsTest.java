package io.eksaccess.console.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which synced access entries hold cluster-wide admin, from the records the EKS sync leaves in the
 * cache (the page test runs on a kubeconfig cluster, which has no access entries).
 */
class ClusterAdminsTest {

    static final String POLICIES = "arn:aws:eks::aws:cluster-access-policy/";

    @Test
    void onlyTheClusterAdminPolicyAtClusterScopeMakesAClusterWideAdmin() {
        EksAccessEntries entries = new EksAccessEntries(List.of(
                entry("arn:aws:iam::111122223333:role/Admins", association("AmazonEKSClusterAdminPolicy", "cluster")),
                entry("arn:aws:iam::111122223333:role/TeamA", association("AmazonEKSClusterAdminPolicy", "namespace")),
                entry("arn:aws:iam::111122223333:role/Viewers", association("AmazonEKSViewPolicy", "cluster"),
                        association("AmazonEKSAdminPolicy", "cluster")),
                entry("arn:aws:iam::111122223333:role/Both", association("AmazonEKSViewPolicy", "cluster"),
                        association("AmazonEKSClusterAdminPolicy", "cluster"))),
                List.of(), Instant.now(), 1, Duration.ZERO);

        assertThat(ClusterAdmins.clusterAdminEntries(entries)).containsExactly(
                "arn:aws:iam::111122223333:role/Admins", "arn:aws:iam::111122223333:role/Both");
    }

    static EksAccessEntries.Entry entry(String arn, EksAccessEntries.Association... policies) {
        return new EksAccessEntries.Entry(arn, "STANDARD", arn, List.of(), Instant.now(), Instant.now(), List.of(policies));
    }

    static EksAccessEntries.Association association(String policy, String scope) {
        return new EksAccessEntries.Association(POLICIES + policy, scope,
                scope.equals("namespace") ? List.of("team-a") : List.of(), Instant.now(), Instant.now());
    }
}
