package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eksaccess.console.testsupport.AuthenticatorOracle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parser against aws-iam-authenticator's own ParseMap, over a large seeded corpus: the kept
 * roles, users and accounts must be equal field by field, in order, and each section must report
 * an error exactly when the authenticator's does.
 */
class AwsAuthParserDifferentialTest {

    private static final int MAPS = 12_000;
    private static final long SEED = Long.getLong("awsauth.seed", 20240611L); // -Dawsauth.seed=N to try others

    @Test
    void parsesEveryGeneratedConfigMapLikeTheAuthenticator() {
        AwsAuthCorpus corpus = new AwsAuthCorpus(SEED);
        List<Map<String, String>> inputs = new ArrayList<>(MAPS);
        for (int i = 0; i < MAPS; i++) {
            inputs.add(corpus.next());
        }
        List<JsonNode> expected = AuthenticatorOracle.parseAll(inputs);

        List<String> mismatches = new ArrayList<>();
        int mismatchCount = 0;
        int withErrors = 0;
        int withEntries = 0;
        for (int i = 0; i < MAPS; i++) {
            AwsAuthConfig actual = AwsAuthParser.parse(inputs.get(i));
            String mismatch = compare(expected.get(i), actual);
            if (mismatch != null) {
                mismatchCount++;
                if (mismatches.size() < 40) {
                    mismatches.add("#" + i + " " + mismatch + "\n  input: " + inputs.get(i) + "\n  oracle: " + expected.get(i));
                }
            }
            withErrors += actual.hasErrors() ? 1 : 0;
            withEntries += actual.roles().size() + actual.users().size() > 0 ? 1 : 0;
        }
        // No tolerance: any divergence from the authenticator fails, whatever the input.
        assertThat(mismatches).as("maps parsed differently from aws-iam-authenticator: %d of %d with seed %d"
                + " (-Dawsauth.seed=%d reproduces it)", mismatchCount, MAPS, SEED, SEED).isEmpty();
        assertThat(withErrors).as("the corpus exercises errors").isGreaterThan(MAPS / 5);
        assertThat(withEntries).as("the corpus exercises kept entries").isGreaterThan(MAPS / 3);
    }

    static String compare(JsonNode oracle, AwsAuthConfig actual) {
        List<Map<String, Object>> expectedRoles = new ArrayList<>();
        oracle.get("roles").forEach(r -> expectedRoles.add(roleOf(r)));
        List<Map<String, Object>> actualRoles = actual.roles().stream().map(AwsAuthParserDifferentialTest::roleOf).toList();
        if (!expectedRoles.equals(actualRoles)) {
            return "roles differ: expected " + expectedRoles + " but got " + actualRoles;
        }
        List<Map<String, Object>> expectedUsers = new ArrayList<>();
        oracle.get("users").forEach(u -> expectedUsers.add(userOf(u)));
        List<Map<String, Object>> actualUsers = actual.users().stream().map(AwsAuthParserDifferentialTest::userOf).toList();
        if (!expectedUsers.equals(actualUsers)) {
            return "users differ: expected " + expectedUsers + " but got " + actualUsers;
        }
        List<String> expectedAccounts = new ArrayList<>();
        oracle.get("accounts").forEach(a -> expectedAccounts.add(a.asText()));
        List<String> actualAccounts = actual.accounts().stream().map(AccountMapping::accountId).toList();
        if (!expectedAccounts.equals(actualAccounts)) {
            return "accounts differ: expected " + expectedAccounts + " but got " + actualAccounts;
        }
        for (Section section : Section.values()) {
            boolean expectedError = !oracle.get("sectionErrors").path(section.key()).isNull()
                    && oracle.get("sectionErrors").has(section.key());
            boolean actualError = actual.errors().stream().anyMatch(e -> e.section() == section);
            if (expectedError != actualError) {
                return section.key() + ": oracle error " + oracle.get("sectionErrors").get(section.key())
                        + " but ours " + actual.errors().stream().filter(e -> e.section() == section).toList();
            }
        }
        if (oracle.get("error").isNull() == actual.hasErrors()) {
            return "error presence differs: " + oracle.get("error") + " vs " + actual.errors();
        }
        return null;
    }

    private static Map<String, Object> roleOf(JsonNode r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rolearn", r.get("rolearn").asText());
        JsonNode sso = r.get("sso");
        m.put("sso", sso.isNull() ? null : List.of(sso.get("permissionSetName").asText(), sso.get("accountID").asText(),
                sso.get("partition").asText()));
        m.put("username", r.get("username").asText());
        List<String> groups = new ArrayList<>();
        r.get("groups").forEach(g -> groups.add(g.asText()));
        m.put("groups", groups);
        m.put("userid", r.get("userid").asText());
        m.put("key", r.get("key").asText());
        m.put("ssoArnLike", r.get("ssoArnLike").asText());
        return m;
    }

    private static Map<String, Object> roleOf(RoleMapping r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rolearn", r.roleArn());
        m.put("sso", r.sso() == null ? null : List.of(r.sso().permissionSetName(), r.sso().accountId(), r.sso().partition()));
        m.put("username", r.username());
        m.put("groups", r.groups());
        m.put("userid", r.userId());
        m.put("key", r.key());
        m.put("ssoArnLike", r.ssoArnLike());
        return m;
    }

    private static Map<String, Object> userOf(JsonNode u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userarn", u.get("userarn").asText());
        m.put("username", u.get("username").asText());
        List<String> groups = new ArrayList<>();
        u.get("groups").forEach(g -> groups.add(g.asText()));
        m.put("groups", groups);
        m.put("userid", u.get("userid").asText());
        m.put("key", u.get("key").asText());
        return m;
    }

    private static Map<String, Object> userOf(UserMapping u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("userarn", u.userArn());
        m.put("username", u.username());
        m.put("groups", u.groups());
        m.put("userid", u.userId());
        m.put("key", u.key());
        return m;
    }
}
