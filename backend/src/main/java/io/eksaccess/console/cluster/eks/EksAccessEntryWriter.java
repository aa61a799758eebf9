package io.eksaccess.console.cluster.eks;

import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.EksClientBuilder;
import software.amazon.awssdk.services.eks.model.AccessEntry;
import software.amazon.awssdk.services.eks.model.AccessScope;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.model.Update;

/**
 * Writes one cluster's access entries, policy associations and authentication mode through the EKS
 * API, and reads single entries back (the IAM write actions: eks:CreateAccessEntry,
 * eks:UpdateAccessEntry, eks:DeleteAccessEntry, eks:AssociateAccessPolicy,
 * eks:DisassociateAccessPolicy, eks:UpdateClusterConfig, eks:DescribeUpdate; reads:
 * eks:DescribeAccessEntry, eks:ListAssociatedAccessPolicies, eks:DescribeCluster). The calls that
 * take a {@code clientRequestToken} get the caller's, so a retried call is one change to EKS; the
 * others are idempotent by nature (a delete of what is gone, an association that replaces its scope).
 */
public final class EksAccessEntryWriter implements AutoCloseable {

    private final EksClient eks;

    public EksAccessEntryWriter(String region, String roleArn, URI endpointOverride) {
        EksClientBuilder builder = EksClient.builder()
                .region(Region.of(region))
                .credentialsProvider(AwsCredentialsFactory.forRole(roleArn, Region.of(region), endpointOverride));
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        this.eks = builder.build();
    }

    /** The principal's entry with its associations as EKS holds them now; empty when it has none. */
    public Optional<EksAccessEntries.Entry> describe(String cluster, String principalArn) {
        AccessEntry entry;
        try {
            entry = eks.describeAccessEntry(r -> r.clusterName(cluster).principalArn(principalArn)).accessEntry();
        } catch (ResourceNotFoundException gone) {
            return Optional.empty();
        }
        List<EksAccessEntries.Association> policies = new ArrayList<>();
        try {
            for (AssociatedAccessPolicy policy : eks.listAssociatedAccessPoliciesPaginator(
                    r -> r.clusterName(cluster).principalArn(principalArn)).associatedAccessPolicies()) {
                policies.add(new EksAccessEntries.Association(policy.policyArn(),
                        policy.accessScope() == null ? "cluster" : policy.accessScope().typeAsString(),
                        policy.accessScope() == null || !policy.accessScope().hasNamespaces() ? List.of()
                                : policy.accessScope().namespaces(),
                        policy.associatedAt(), policy.modifiedAt()));
            }
        } catch (ResourceNotFoundException deletedMeanwhile) {
            return Optional.empty();
        }
        return Optional.of(new EksAccessEntries.Entry(entry.principalArn(), entry.type(), entry.username(),
                entry.hasKubernetesGroups() ? entry.kubernetesGroups() : List.of(), entry.createdAt(), entry.modifiedAt(),
                policies));
    }

    /** {@code accessConfig.authenticationMode} as EKS reports it now. */
    public String authenticationMode(String cluster) {
        var config = eks.describeCluster(r -> r.name(cluster)).cluster().accessConfig();
        return config == null || config.authenticationModeAsString() == null ? "CONFIG_MAP"
                : config.authenticationModeAsString();
    }

    /** @param username null: EKS's default */
    public void create(String cluster, String principalArn, String type, String username, List<String> groups,
            String token) {
        eks.createAccessEntry(r -> {
            r.clusterName(cluster).principalArn(principalArn).type(type).clientRequestToken(token);
            if (username != null) {
                r.username(username);
            }
            if ("STANDARD".equals(type)) {
                r.kubernetesGroups(groups);
            }
        });
    }

    /** Groups are replaced whole; a null username keeps the entry's. */
    public void update(String cluster, String principalArn, String username, List<String> groups, String token) {
        eks.updateAccessEntry(r -> {
            r.clusterName(cluster).principalArn(principalArn).kubernetesGroups(groups).clientRequestToken(token);
            if (username != null) {
                r.username(username);
            }
        });
    }

    /** Deletes the entry (and its associations); one already gone is no error. */
    public void delete(String cluster, String principalArn) {
        try {
            eks.deleteAccessEntry(r -> r.clusterName(cluster).principalArn(principalArn));
        } catch (ResourceNotFoundException alreadyGone) {
            // the state asked for
        }
    }

    public void associate(String cluster, String principalArn, String policyArn, String scopeType, List<String> namespaces) {
        AccessScope scope = "namespace".equals(scopeType)
                ? AccessScope.builder().type(scopeType).namespaces(namespaces).build()
                : AccessScope.builder().type(scopeType).build();
        eks.associateAccessPolicy(r -> r.clusterName(cluster).principalArn(principalArn).policyArn(policyArn)
                .accessScope(scope));
    }

    /** One not associated (or an entry already gone) is no error. */
    public void disassociate(String cluster, String principalArn, String policyArn) {
        try {
            eks.disassociateAccessPolicy(r -> r.clusterName(cluster).principalArn(principalArn).policyArn(policyArn));
        } catch (ResourceNotFoundException alreadyGone) {
            // the state asked for
        }
    }

    /** Starts the mode change; returns the update's id, to poll with {@link #updateStatus}. */
    public String setAuthenticationMode(String cluster, String mode, String token) {
        Update update = eks.updateClusterConfig(r -> r.name(cluster).clientRequestToken(token)
                .accessConfig(a -> a.authenticationMode(mode))).update();
        return update == null ? null : update.id();
    }

    /** InProgress, Successful, Failed or Cancelled, and EKS's error messages when it failed. */
    public UpdateStatus updateStatus(String cluster, String updateId) {
        Update update = eks.describeUpdate(r -> r.name(cluster).updateId(updateId)).update();
        List<String> errors = update.hasErrors() ? update.errors().stream()
                .map(e -> e.errorCodeAsString() + ": " + e.errorMessage()).toList() : List.of();
        return new UpdateStatus(update.statusAsString(), errors);
    }

    public record UpdateStatus(String status, List<String> errors) {}

    @Override
    public void close() {
        eks.close();
    }
}
