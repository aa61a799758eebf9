package io.eksaccess.console.rbac;

import static io.eksaccess.console.rbac.RbacFixtures.named;
import static io.eksaccess.console.rbac.RbacFixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from Kubernetes' TestRuleMatches (plugin/pkg/auth/authorizer/rbac/rbac_test.go) and the look-alikes. */
class RbacRuleMatchTest {

    private static AccessRequest resource(String verb, String group, String resource, String sub) {
        return AccessRequest.resource(verb, group, resource, sub, "", "ns1");
    }

    @ParameterizedTest(name = "{0} {1} {2}/{3} vs verbs={4} groups={5} resources={6} -> {7}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "~", value = {
            // star verb, exact match other
            "verb1|group1|resource1|~|*|group1|resource1|true",
            "verb1|group2|resource1|~|*|group1|resource1|false",
            "verb2|group1|resource2|~|*|group1|resource1|false",
            // star group
            "verb1|group2|resource1|~|verb1|*|resource1|true",
            "verb2|group2|resource1|~|verb1|*|resource1|false",
            // star resource
            "verb1|group1|resource2|~|verb1|group1|*|true",
            "verb1|group2|resource2|~|verb1|group1|*|false",
            // tuple expansion
            "verb2|group2|resource2|~|verb1,verb2|group1,group2|resource1,resource2|true",
            // subresource expansion
            "verb1|group1|resource1|subresource1|*|*|resource1/subresource1|true",
            "verb1|group2|resource1|subresource2|*|*|resource1/subresource1|false",
            "verb1|group1|resource2|subresource1|*|*|resource1/subresource1|false",
            // TestAuthorizer: pods does not cover pods/status; */scale covers any resource's scale
            "get|''|pods|status|*|*|pods|false",
            "get|''|deployments|scale|*|*|pods/status,*/scale|true",
            "get|''|anything|scale|*|*|*/scale|true",
            "get|''|pods|~|*|*|pods/status,*/scale|false",
            // look-alikes that are not wildcards
            "get|''|pods|log|*|*|pods/*|false",
            "get|''|pods|log|*|*|*/lo|false",
            "get|''|pods|log|*|*|*/*|false",
            "get|apps|deployments|~|*|app*|*|false",
            "get|''|pods|~|get*|*|*|false",
            "GET|''|pods|~|get|*|*|false",
            "get|''|Pods|~|get|*|pods|false",
            // "*" resource covers subresources too
            "get|''|pods|exec|get|''|*|true",
            "get|''|pods|exec|get|''|*/exec|true",
    })
    void resourceRules(String verb, String group, String resource, String sub, String verbs, String groups,
            String resources, boolean expected) {
        PolicyRule rule = rule(verbs, groups, resources, "");
        assertThat(RuleMatch.allows(rule, resource(verb, group.equals("''") ? "" : group, resource, sub)))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} vs {2} {3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "verb1|/foo|verb1|*|true",
            "verb1|/foo/bar/one|verb1|*|true",
            "verb2|/foo|verb1|*|false",
            "verb1|/foo|verb1|/foo/*|false",
            "verb1|/foo/bar|verb1|/foo/*|true",
            "verb1|/foo/bar/one|verb1|/foo/*|true",
            "verb1|/notfoo/bar|verb1|/foo/*|false",
            "verb1|/foo|*|/foo,/foo/bar/one|true",
            "verb1|/foo/bar|*|/foo,/foo/bar/one|false",
            // a trailing * is a plain prefix, not a path segment
            "get|/apis|get|/api*|true",
            "get|/api|get|/api*|true",
            "get|/healthz/etcd|get|/healthz*|true",
            "get|/api|get|/api**|true",
            // a * elsewhere is literal
            "get|/api/v1|get|/*/v1|false",
            "get|/*/v1|get|/*/v1|true",
    })
    void nonResourceRules(String verb, String url, String verbs, String urls, boolean expected) {
        assertThat(RuleMatch.allows(rule(verbs, "", "", urls), AccessRequest.nonResource(verb, url))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "name {0} vs resourceNames {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "a|a,b|true",
            "c|a,b|false",
            // list, watch, create, deletecollection carry no name: resourceNames never allow them
            "''|a,b|false",
    })
    void resourceNames(String name, String names, boolean expected) {
        PolicyRule rule = named(rule("*", "*", "*", ""), names.split(","));
        AccessRequest request = AccessRequest.resource("list", "", "pods", "", name.equals("''") ? "" : name, "ns1");
        assertThat(RuleMatch.allows(rule, request)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"get", "list"})
    void aRuleWithResourcesNeverMatchesANonResourceRequestAndViceVersa(String verb) {
        assertThat(RuleMatch.allows(rule("*", "*", "*", ""), AccessRequest.nonResource(verb, "/healthz"))).isFalse();
        assertThat(RuleMatch.allows(rule("*", "", "", "*"), resource(verb, "", "pods", ""))).isFalse();
    }
}
