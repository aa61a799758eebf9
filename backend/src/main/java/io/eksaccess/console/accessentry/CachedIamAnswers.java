package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.BindingRef;
import io.eksaccess.console.rbac.IamAnswers;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.RuleGrant;
import io.eksaccess.console.rbac.Subject;
import io.eksaccess.console.rbac.WhoCanAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RBAC pages' IAM answers for EKS clusters whose access entries the console reads
 * (API_AND_CONFIG_MAP, API) and has synced: {@link IamResolver} and {@link IamAuthorizer} on the
 * cached RBAC index, the synced entries and the cached aws-auth. Other clusters get empty, and the
 * pages answer through aws-auth alone as before.
 */
@Component
class CachedIamAnswers implements IamAnswers {

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final AccessEntriesLookup lookup;
    private final Map<String, Built> built = new ConcurrentHashMap<>();

    CachedIamAnswers(ClusterRepository clusters, ClusterCaches caches, AccessEntriesLookup lookup) {
        this.clusters = clusters;
        this.caches = caches;
        this.lookup = lookup;
    }

    @Override
    public Optional<Answerer> forCluster(String cluster) {
        return clusters.findByNameRecent(cluster).flatMap(lookup::synced).map(synced -> answerer(cluster, synced));
    }

    /**
     * The cluster's answerer, built once per sync and aws-auth version: every question of the pages
     * between two syncs reuses its {@link IamAccessIndex} (3,000 identities are not re-derived per
     * question, and aws-auth is not re-parsed per page).
     */
    private EntriesAnswerer answerer(String cluster, SyncedAccessEntries synced) {
        Optional<ConfigMap> configMap = caches.cache(cluster).flatMap(ClusterCache::awsAuth);
        String awsAuthVersion = configMap.map(c -> c.getMetadata().getUid() + "/" + c.getMetadata().getResourceVersion())
                .orElse(null);
        // The sync's data by identity (a page test's lookup gives the model only: then the model).
        Object data = synced.raw() != null ? synced.raw() : synced.entries();
        Built built = this.built.get(cluster);
        if (built != null && built.data == data && built.mode == synced.entries().mode()
                && Objects.equals(built.awsAuthVersion, awsAuthVersion)) {
            return built.answerer;
        }
        EntriesAnswerer answerer = new EntriesAnswerer(IamAccessIndex.of(synced.entries().mode(), synced.entries().entries(),
                configMap.map(CachedIamAnswers::parse).orElse(null)));
        this.built.put(cluster, new Built(data, synced.entries().mode(), awsAuthVersion, answerer));
        return answerer;
    }

    /** What an answerer was built from: the sync's data (by identity), the mode, the aws-auth version. */
    private record Built(Object data, AuthenticationMode mode, String awsAuthVersion, EntriesAnswerer answerer) {}

    @Override
    public Optional<Unread> unread(String cluster) {
        return clusters.findByNameRecent(cluster).flatMap(lookup::unread);
    }

    /** The cached aws-auth, or null when unreadable (the Mappings tab explains why). */
    private static AwsAuthConfig parse(ConfigMap configMap) {
        Map<String, String> data = configMap.getData();
        try {
            return AwsAuthParser.read(data == null ? Map.of() : data);
        } catch (AwsAuthUnreadableException e) {
            return null;
        }
    }

    /** One cluster's answers, from one sync of its entries and one version of its aws-auth. */
    record EntriesAnswerer(IamAccessIndex iam) implements Answerer {

        @Override
        public String mode() {
            return iam.mode().name();
        }

        @Override
        public Chain accessFor(String callerArn, RbacIndex index) {
            IamIdentity who = iam.resolve(callerArn);
            List<PolicyGrant> policies = new ArrayList<>();
            for (AssociatedAccessPolicy policy : who.accessPolicies()) {
                policies.add(new PolicyGrant(policy.policyName(), policy.policyArn(), policy.accessScope().describe(),
                        AccessPolicyTable.modelled(policy.policyArn())));
            }
            List<RuleGrant> rules = who.mapped() ? index.rulesFor(who.identity()) : List.of();
            List<String> notes = new ArrayList<>(who.notes());
            if (!who.mapped()) {
                notes.add(0, IamAuthorizer.notMappedReason(iam.mode()));
            }
            return new Chain(callerArn, mode(), who.source() == null ? null : who.source().json(),
                    who.entry() == null ? null : who.entry().principalArn(), label(who.mapping()),
                    label(who.shadowedMapping()), who.identity(), rules, policies, notes);
        }

        @Override
        public CanI canI(String callerArn, AccessRequest request, RbacIndex index) {
            IamIdentity who = iam.resolve(callerArn);
            IamDecision decision = IamAuthorizer.canI(who, request, index);
            return new CanI(decision.allowed(), decision.reason(), decision.via(), grantedBy(decision),
                    decision.identity());
        }

        @Override
        public List<Principal> whoCan(AccessRequest request, WhoCanAnswer rbac) {
            return iam.whoCan(request, rbac).stream()
                    .map(p -> new Principal(p.arn(), p.source(), p.grant())).toList();
        }

        @Override
        public ObjectNode canIJson(String callerArn, AccessRequest request, RbacIndex index) {
            IamIdentity who = iam.resolve(callerArn);
            return AccessEntryJson.canI(IamAuthorizer.canI(who, request, index));
        }

        @Override
        public ObjectNode accessForJson(String callerArn, RbacIndex index) {
            IamIdentity who = iam.resolve(callerArn);
            return AccessEntryJson.accessFor(who, who.mapped() ? index.rulesFor(who.identity()) : List.of());
        }

        @Override
        public List<SubjectPolicy> policiesOf(Subject subject) {
            List<AccessEntry> entries = switch (subject.kind()) {
                case Subject.USER -> iam.entriesOf(subject.name(), null);
                case Subject.GROUP -> iam.entriesOf(null, subject.name());
                default -> List.of();
            };
            List<SubjectPolicy> policies = new ArrayList<>();
            for (AccessEntry entry : entries) {
                for (AssociatedAccessPolicy policy : entry.associatedAccessPolicies()) {
                    policies.add(new SubjectPolicy(entry.principalArn(), policy.policyName(), policy.policyArn(),
                            policy.accessScope().describe(), AccessPolicyTable.modelled(policy.policyArn())));
                }
            }
            return policies;
        }

        private static String label(io.eksaccess.console.awsauth.WhoIs.Answer mapping) {
            return mapping == null || !mapping.mapped() ? null : mapping.via().key() + "[" + mapping.entryIndex() + "]";
        }

        /** Which path granted, in words: the binding and its role, the access policy and scope, or the superuser group. */
        static String grantedBy(IamDecision decision) {
            if (!decision.allowed()) {
                return null;
            }
            return switch (decision.via()) {
                case IamDecision.RBAC -> binding(decision.binding());
                case IamDecision.ACCESS_POLICY -> "access policy " + decision.accessPolicy().policyName() + ", "
                        + decision.accessPolicy().accessScope().describe();
                default -> "group system:masters";
            };
        }

        static String binding(BindingRef ref) {
            return ref.kind() + " " + (ref.namespace() == null ? "" : ref.namespace() + "/") + ref.name() + " \u2192 "
                    + ref.roleKind() + " " + ref.roleName();
        }
    }
}
