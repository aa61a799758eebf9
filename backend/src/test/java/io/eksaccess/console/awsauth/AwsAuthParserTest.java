package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Semantics worth knowing, pinned with examples (the differential test checks them at scale). */
class AwsAuthParserTest {

    @Test
    void wrongTypesKeepTheEntryWithoutTheValue() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles",
                "- rolearn: arn:aws:iam::1:role/A\n  username: yes\n  groups: [a, 5, ~]\n"));
        assertThat(config.roles()).singleElement().satisfies(r -> {
            assertThat(r.username()).isEmpty();
            assertThat(r.groups()).containsExactly("a", "", "");
        });
        assertThat(config.errors()).hasSize(2).allMatch(e -> !e.dropped());
    }

    @Test
    void infinityAnywhereDropsTheWholeSection() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles", "- rolearn: a\n  comment: .inf\n"));
        assertThat(config.roles()).isEmpty();
        assertThat(config.errors()).singleElement().extracting(EntryError::index).isNull();
    }

    @Test
    void caseVariantKeysResolveInSortedOrderAndSsoIsPreferredToNothing() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles",
                "- rolearn: second\n  RoleArn: first\n- \u017fso: {permissionSetName: Admin, accountID: \"111122223333\"}\n"));
        assertThat(config.roles()).extracting(RoleMapping::displayArn)
                .containsExactly("second", "arn:aws:iam::111122223333:role/awsreservedsso_admin_*");
    }

    @Test
    void entriesCarryTheirSourceLines() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles",
                "# c\n- rolearn: a\n  groups:\n    - x\n\n- rolearn: b\n"));
        assertThat(config.roles()).extracting(RoleMapping::lines)
                .containsExactly(new SourceLines(2, 4), new SourceLines(6, 6));
    }

    @Test
    void abortedAccountListKeepsGoYamlsPadding() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapAccounts", "- a\n- {x: y}\n- !!int abc\n- d\n"));
        assertThat(config.accounts()).extracting(AccountMapping::accountId).containsExactly("a", "", "", "");
        assertThat(config.hasErrors()).isTrue();
    }
}
