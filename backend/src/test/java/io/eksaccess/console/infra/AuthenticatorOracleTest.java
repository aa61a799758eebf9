package io.eksaccess.console.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eksaccess.console.testsupport.AuthenticatorOracle;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** aws-iam-authenticator's real parser answers through the oracle program. */
class AuthenticatorOracleTest {

    @Test
    void parsesASampleAwsAuthAndDropsTheInvalidEntry() {
        JsonNode parsed = AuthenticatorOracle.parse(Map.of(
                "mapRoles", """
                        - rolearn: arn:aws:iam::111122223333:role/NodeInstanceRole
                          username: system:node:{{EC2PrivateDNSName}}
                          groups: [system:bootstrappers, system:nodes]
                        - rolearn: arn:aws:iam::111122223333:role/Admins
                          username: admin:{{SessionName}}
                          groups: [system:masters]
                        - username: no-arn-so-dropped
                          groups: [viewers]
                        """,
                "mapUsers", """
                        - userarn: arn:aws:iam::111122223333:user/alice
                          username: alice
                          groups: [developers]
                        """,
                "mapAccounts", """
                        - "444455556666"
                        """));

        assertThat(parsed.get("roles")).hasSize(2);
        JsonNode admins = parsed.get("roles").get(1);
        assertThat(admins.get("rolearn").asText()).isEqualTo("arn:aws:iam::111122223333:role/Admins");
        assertThat(admins.get("key").asText()).as("the authenticator indexes roles lower-cased")
                .isEqualTo("arn:aws:iam::111122223333:role/admins");
        assertThat(admins.get("username").asText()).isEqualTo("admin:{{SessionName}}");
        assertThat(parsed.get("users").get(0).get("userarn").asText()).isEqualTo("arn:aws:iam::111122223333:user/alice");
        assertThat(parsed.get("accounts").get(0).asText()).isEqualTo("444455556666");
        assertThat(parsed.get("error").asText()).as("the dropped entry is reported").isNotBlank();
    }

    @Test
    void unparseableYamlContributesNoEntries() {
        JsonNode parsed = AuthenticatorOracle.parse(Map.of("mapRoles", "- rolearn: [unclosed"));
        assertThat(parsed.get("roles")).isEmpty();
        assertThat(parsed.get("error").isNull()).isFalse();
    }
}
