package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.BindingRef;
import io.eksaccess.console.rbac.IamAnswers;
import io.eksaccess.console.rbac.RbacIndex;
import io.eksaccess.console.rbac.RuleGrant;
import io.eksaccess.console.rbac.WhoCanAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    CachedIamAnswers(ClusterRepository clusters, ClusterCaches caches, AccessEntriesLookup lookup) {
        this.clusters = clusters;
        this.caches = caches;
        this.lookup = lookup;
    }

    @Override
    public Optional<Answerer> forCluster(String cluster) {
        return clusters.findByName(cluster).flatMap(lookup::synced)
                .map(synced -> new EntriesAnswerer(synced.entries(), awsAuth(cluster)));
    }

    @Override
    public Optional<Unread> unread(String cluster) {
        return clusters.findByName(cluster).flatMap(lookup::unread);
    }

    /** The cached aws-auth, or null when absent or unreadable (the Mappings tab explains which). */
    private AwsAuthConfig awsAuth(String cluster) {
        Optional<ClusterCache> cache = caches.cache(cluster);
        if (cache.isEmpty() || cache.get().awsAuth().isEmpty()) {
            return null;
        }
        Map<String, String> data = cache.get().awsAuth().get().getData();
        try {
            return AwsAuthParser.read(data == null ? Map.of() : data);
        } catch (AwsAuthUnreadableException e) {
            return null;
        }
    }

    /** One cluster's answers, from one read of its entries and aws-auth. */
    record EntriesAnswerer(ClusterAccessEntries entries, AwsAuthConfig awsAuth) implements Answerer {

        @Override
        public String mode() {
            return entries.mode().name();
        }

        @Override
        public Chain accessFor(String callerArn, RbacIndex index) {
            IamIdentity who = IamResolver.resolve(entries.mode(), entries.entries(), awsAuth, callerArn);
            List<PolicyGrant> policies = new ArrayList<>();
            for (AssociatedAccessPolicy policy : who.accessPolicies()) {
                policies.add(new PolicyGrant(policy.policyName(), policy.policyArn(), policy.accessScope().describe(),
                        AccessPolicyTable.modelled(policy.policyArn())));
            }
            List<RuleGrant> rules = who.mapped() ? index.rulesFor(who.identity()) : List.of();
            List<String> notes = new ArrayList<>(who.notes());
            if (!who.mapped()) {
                notes.add(0, IamAuthorizer.notMappedReason(entries.mode()));
            }
            return new Chain(callerArn, mode(), who.source() == null ? null : who.source().json(),
                    who.entry() == null ? null : who.entry().principalArn(), label(who.mapping()),
                    label(who.shadowedMapping()), who.identity(), rules, policies, notes);
        }

        @Override
        public CanI canI(String callerArn, AccessRequest request, RbacIndex index) {
            IamIdentity who = IamResolver.resolve(entries.mode(), entries.entries(), awsAuth, callerArn);
            IamDecision decision = IamAuthorizer.canI(who, request, index);
            return new CanI(decision.allowed(), decision.reason(), decision.via(), grantedBy(decision),
                    decision.identity());
        }

        @Override
        public List<Principal> whoCan(AccessRequest request, WhoCanAnswer rbac) {
            return IamAuthorizer.whoCan(request, rbac, entries.mode(), entries.entries(), awsAuth).stream()
                    .map(p -> new Principal(p.arn(), p.source(), p.grant())).toList();
        }

        @Override
        public ObjectNode canIJson(String callerArn, AccessRequest request, RbacIndex index) {
            IamIdentity who = IamResolver.resolve(entries.mode(), entries.entries(), awsAuth, callerArn);
            return AccessEntryJson.canI(IamAuthorizer.canI(who, request, index));
        }

        @Override
        public ObjectNode accessForJson(String callerArn, RbacIndex index) {
            IamIdentity who = IamResolver.resolve(entries.mode(), entries.entries(), awsAuth, callerArn);
            return AccessEntryJson.accessFor(who, who.mapped() ? index.rulesFor(who.identity()) : List.of());
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
