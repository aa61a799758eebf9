package io.eksaccess.console.cluster.eks;

import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.EksClientBuilder;
import software.amazon.awssdk.services.eks.model.AccessEntry;
import software.amazon.awssdk.services.eks.model.AccessPolicy;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;

/**
 * Reads one cluster's access entries, their associated policies and the access-policy catalogue
 * through the EKS API (read actions only: eks:ListAccessEntries, eks:DescribeAccessEntry,
 * eks:ListAssociatedAccessPolicies, eks:ListAccessPolicies).
 *
 * <p>ListAccessEntries returns ARNs only, so each entry needs a DescribeAccessEntry. Asking
 * ListAccessEntries once per catalogue policy (the {@code associatedPolicyArn} filter) tells which
 * entries have any policy at all; only those get a ListAssociatedAccessPolicies call, which spares
 * one call per node, Fargate and groups-only entry (most of a large cluster's entries).
 * The per-entry calls run a few at a time so that 3,000 entries fit well inside the interval.
 */
public final class EksAccessEntryReader implements AutoCloseable {

    /** Concurrent per-entry calls: enough to hide latency, well under EKS's request-rate limits. */
    static final int PARALLEL_CALLS = 8;

    private final EksClient eks;
    private final Clock clock;
    private final AtomicInteger calls = new AtomicInteger();

    public EksAccessEntryReader(String region, String roleArn, URI endpointOverride, Clock clock) {
        this.clock = clock;
        EksClientBuilder builder = EksClient.builder()
                .region(Region.of(region))
                .credentialsProvider(AwsCredentialsFactory.forRole(roleArn, Region.of(region), endpointOverride))
                .overrideConfiguration(config -> config.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        calls.incrementAndGet(); // retries count too: they are calls EKS answers
                    }
                }));
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        this.eks = builder.build();
    }

    /** Everything about the cluster's access entries now; throws the SDK's exception when EKS refuses. */
    public EksAccessEntries read(String clusterName) {
        int callsBefore = calls.get();
        Instant started = clock.instant();
        List<EksAccessEntries.Policy> catalogue = new ArrayList<>();
        for (AccessPolicy policy : eks.listAccessPoliciesPaginator(request -> {}).accessPolicies()) {
            catalogue.add(new EksAccessEntries.Policy(policy.name(), policy.arn()));
        }
        List<String> principals = new ArrayList<>();
        eks.listAccessEntriesPaginator(request -> request.clusterName(clusterName)).accessEntries().forEach(principals::add);
        Set<String> withPolicies = new HashSet<>();
        for (EksAccessEntries.Policy policy : catalogue) {
            eks.listAccessEntriesPaginator(request -> request.clusterName(clusterName).associatedPolicyArn(policy.arn()))
                    .accessEntries().forEach(withPolicies::add);
        }
        List<EksAccessEntries.Entry> entries = readEntries(clusterName, principals, withPolicies);
        entries.sort(Comparator.comparing(EksAccessEntries.Entry::principalArn));
        Duration took = Duration.between(started, clock.instant());
        // The read's start: a change made while it ran may be missing, so only a read that started after a
        // change can vouch for it.
        return new EksAccessEntries(entries, catalogue, started, calls.get() - callsBefore, took);
    }

    private List<EksAccessEntries.Entry> readEntries(String clusterName, List<String> principals, Set<String> withPolicies) {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_CALLS, runnable -> {
            Thread thread = new Thread(runnable, "eks-access-entries-" + clusterName);
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<EksAccessEntries.Entry>> pending = new ArrayList<>();
            for (String principal : principals) {
                pending.add(pool.submit(() -> readEntry(clusterName, principal, withPolicies.contains(principal))));
            }
            List<EksAccessEntries.Entry> entries = new ArrayList<>();
            for (Future<EksAccessEntries.Entry> future : pending) {
                EksAccessEntries.Entry entry = future.get();
                if (entry != null) {
                    entries.add(entry);
                }
            }
            return entries;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading access entries of " + clusterName, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private EksAccessEntries.Entry readEntry(String clusterName, String principal, boolean hasPolicies) {
        AccessEntry entry;
        try {
            entry = eks.describeAccessEntry(request -> request.clusterName(clusterName).principalArn(principal)).accessEntry();
        } catch (software.amazon.awssdk.services.eks.model.ResourceNotFoundException deletedMeanwhile) {
            return null; // listed, then deleted before we asked: it no longer maps anyone
        }
        List<EksAccessEntries.Association> policies = new ArrayList<>();
        if (hasPolicies) {
            for (AssociatedAccessPolicy policy : eks.listAssociatedAccessPoliciesPaginator(
                    request -> request.clusterName(clusterName).principalArn(principal)).associatedAccessPolicies()) {
                policies.add(new EksAccessEntries.Association(policy.policyArn(),
                        policy.accessScope() == null ? "cluster" : policy.accessScope().typeAsString(),
                        policy.accessScope() == null || !policy.accessScope().hasNamespaces() ? List.of()
                                : policy.accessScope().namespaces(),
                        policy.associatedAt(), policy.modifiedAt()));
            }
        }
        return new EksAccessEntries.Entry(entry.principalArn(), entry.type(), entry.username(),
                entry.hasKubernetesGroups() ? entry.kubernetesGroups() : List.of(), entry.createdAt(), entry.modifiedAt(),
                policies);
    }

    @Override
    public void close() {
        eks.close();
    }
}
