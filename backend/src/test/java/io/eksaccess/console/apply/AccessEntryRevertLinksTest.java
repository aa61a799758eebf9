package io.eksaccess.console.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The requests that take access-entry drift back to its baseline, one prefilled form per step. */
class AccessEntryRevertLinksTest {

    static final String DEV = "arn:aws:iam::111122223333:role/Dev";
    static final String NODE = "arn:aws:iam::111122223333:role/Node";
    static final String VIEW = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy";

    @Test
    void aDeletedEntryIsCreatedAgainThenEachOfItsPoliciesAssociated() {
        TreeMap<String, AccessEntryState.Scope> policies = new TreeMap<>();
        policies.put(VIEW, new AccessEntryState.Scope("namespace", List.of("dev", "team-*")));
        AccessEntryState before = state(DEV, new AccessEntryState.Entry("STANDARD", "dev", List.of("a", "b"), "t1", policies));
        AccessEntryState after = new AccessEntryState(new TreeMap<>());

        List<DriftEvent.RevertLink> links = AccessEntryRevertLinks.of("prod", before, after);
        assertThat(links).extracting(DriftEvent.RevertLink::kind).containsExactly("CREATE_ACCESS_ENTRY", "ASSOCIATE_ACCESS_POLICY");
        assertThat(links.get(0).href()).isEqualTo("/requests/new?cluster=prod&kind=CREATE_ACCESS_ENTRY&arn="
                + "arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FDev&type=STANDARD&username=dev&groups=a%2Cb");
        assertThat(links.get(1).href()).endsWith("&policyArn=" + encode(VIEW) + "&scopeType=namespace&namespaces=dev%2Cteam-*");
        assertThat(links.get(1).principal()).isEqualTo("AmazonEKSViewPolicy (namespaces dev, team-*) with " + DEV);
    }

    @Test
    void anEntryOfAnotherTypeIsDeletedAndCreatedAgainWithoutNamesAndARecreatedOneNeedsNothing() {
        AccessEntryState before = state(NODE, new AccessEntryState.Entry("EC2_LINUX", "system:node:{{EC2PrivateDNSName}}",
                List.of(), "t1", new TreeMap<>()));
        AccessEntryState retyped = state(NODE, new AccessEntryState.Entry("STANDARD", NODE, List.of(), "t2", new TreeMap<>()));
        assertThat(AccessEntryRevertLinks.of("prod", before, retyped)).extracting(DriftEvent.RevertLink::href).containsExactly(
                "/requests/new?cluster=prod&kind=DELETE_ACCESS_ENTRY&arn=" + encode(NODE),
                "/requests/new?cluster=prod&kind=CREATE_ACCESS_ENTRY&arn=" + encode(NODE) + "&type=EC2_LINUX");
        AccessEntryState recreated = state(NODE, new AccessEntryState.Entry("EC2_LINUX", "system:node:{{EC2PrivateDNSName}}",
                List.of(), "t2", new TreeMap<>()));
        assertThat(AccessEntryRevertLinks.of("prod", before, recreated)).isEmpty();
    }

    private static AccessEntryState state(String arn, AccessEntryState.Entry entry) {
        TreeMap<String, AccessEntryState.Entry> entries = new TreeMap<>();
        entries.put(arn, entry);
        return new AccessEntryState(entries);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
