package io.eksaccess.console.accessentry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The access-entries file: the issue's format read exactly, anything else refused with one line. */
class AccessEntriesReaderTest {

    private static ClusterAccessEntries read(String json) throws AccessEntriesUnreadableException {
        return AccessEntriesReader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(AccessEntriesUnreadableException.class)
                .hasMessageContaining(message).message().doesNotContain("\n");
    }

    @Test
    void readsTheIssuesFormatAndIgnoresOtherEksFields() throws Exception {
        ClusterAccessEntries read = read("""
                {"cluster": {"name": "prod", "accessConfig": {"authenticationMode": "API_AND_CONFIG_MAP"}},
                 "accessEntries": [{"principalArn": "arn:aws:iam::111122223333:role/teams/Viewer", "type": "STANDARD",
                                    "username": "viewer:{{SessionName}}", "kubernetesGroups": ["viewers"],
                                    "createdAt": "2026-01-01T00:00:00Z", "tags": {"a": "b"},
                                    "associatedAccessPolicies": [{"policyArn": "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
                                                                  "accessScope": {"type": "namespace", "namespaces": ["team-*"]}}]},
                                   {"principalArn": "arn:aws:iam::111122223333:user/alice"}]}""");
        assertThat(read.clusterName()).isEqualTo("prod");
        assertThat(read.mode()).isEqualTo(AuthenticationMode.API_AND_CONFIG_MAP);
        assertThat(read.entries()).hasSize(2);
        AccessEntry viewer = read.entries().get(0);
        assertThat(viewer.username()).isEqualTo("viewer:{{SessionName}}");
        assertThat(viewer.kubernetesGroups()).containsExactly("viewers");
        assertThat(viewer.associatedAccessPolicies()).containsExactly(new AssociatedAccessPolicy(
                "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy", AccessScope.namespaces("team-*")));
        AccessEntry alice = read.entries().get(1);
        assertThat(alice.type()).isEqualTo("STANDARD");
        assertThat(alice.username()).isNull();
        assertThat(alice.associatedAccessPolicies()).isEmpty();
        assertThat(read("{\"cluster\": {\"accessConfig\": {\"authenticationMode\": \"API\"}}}").entries()).isEmpty();
    }

    @Test
    void refusesWhatIsAmbiguousOrMalformedWithOneLine() {
        refused("{\"cluster\": {\"accessConfig\": {\"authenticationMode\": \"API\", \"authenticationMode\": \"CONFIG_MAP\"}}}",
                "duplicate key");
        refused("[]", "expected an object");
        refused("{\"accessEntries\": []}", "missing cluster");
        refused("{\"cluster\": {}}", "missing cluster.accessConfig");
        refused("{\"cluster\": {\"accessConfig\": {}}}", "missing cluster.accessConfig.authenticationMode");
        refused("{\"cluster\": {\"accessConfig\": {\"authenticationMode\": \"api\"}}}",
                "'api' is not one of CONFIG_MAP, API_AND_CONFIG_MAP, API");
        String cluster = "{\"cluster\": {\"accessConfig\": {\"authenticationMode\": \"API\"}}, \"accessEntries\": ";
        refused(cluster + "{}}", "accessEntries is not a list");
        refused(cluster + "[{}]}", "missing accessEntries[0].principalArn");
        refused(cluster + "[{\"principalArn\": 5}]}", "accessEntries[0].principalArn is not a string");
        refused(cluster + "[{\"principalArn\": \"arn:aws:sts::1:assumed-role/R/s\"}]}", "is not an IAM role or user ARN");
        refused(cluster + "[{\"principalArn\": \"arn:aws:iam::1:role/R\", \"type\": \"ROBOT\"}]}", "'ROBOT' is not one of");
        refused(cluster + "[{\"principalArn\": \"arn:aws:iam::1:role/R\", \"kubernetesGroups\": [1]}]}",
                "kubernetesGroups[0] is not a string");
        refused(cluster + "[{\"principalArn\": \"arn:aws:iam::1:role/a/R\"}, {\"principalArn\": \"arn:aws:iam::1:role/R\"}]}",
                "accessEntries[1] and accessEntries[0] are for the same principal");
        String policy = "[{\"principalArn\": \"arn:aws:iam::1:role/R\", \"associatedAccessPolicies\": [{\"policyArn\": "
                + "\"arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy\", \"accessScope\": ";
        refused(cluster + policy + "{\"type\": \"region\"}}]}]}", "accessScope.type 'region' is not cluster or namespace");
        refused(cluster + policy + "{\"type\": \"namespace\"}}]}]}", "has type namespace but no namespaces");
        refused(cluster + policy + "{\"type\": \"cluster\", \"namespaces\": [\"a\"]}}]}]}", "cluster-wide but lists namespaces");
        refused(cluster + policy.replace("\"accessScope\": ", "\"x\": 1") + "}]}]}",
                "missing accessEntries[0].associatedAccessPolicies[0].accessScope");
    }

    @Test
    void hostileInputIsCutAndCapped() {
        String longMode = "M".repeat(5000);
        assertThatThrownBy(() -> read("{\"cluster\": {\"accessConfig\": {\"authenticationMode\": \"" + longMode + "\"}}}"))
                .hasMessageContaining("(5000 characters)").message().hasSizeLessThan(400);
        assertThatThrownBy(() -> AccessEntriesReader.read(new byte[AccessEntriesReader.MAX_BYTES + 1]))
                .hasMessageContaining("larger than 8 MiB");
        assertThatThrownBy(() -> AccessEntriesReader.read(new byte[] {(byte) 0xff, (byte) 0xfe}))
                .hasMessageContaining("not UTF-8");
        refused("[".repeat(2000) + "]".repeat(2000), "not valid JSON");
        refused("{\"cluster\": ", "not valid JSON");
    }
}
