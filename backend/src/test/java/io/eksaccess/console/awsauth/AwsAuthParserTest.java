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

    // Cases from the differential test (seeds 0..30); the expectations are aws-iam-authenticator's answers.

    @Test
    void goYamlReadsTheFirstDocumentOnlySoALaterSyntaxErrorIsNeverSeen() {
        // The dedent to column 1 ends the document; the flow mapping with "a:{{" (an error) comes after it.
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapUsers",
                "  - userarn: a\n x: y\n  - {username: a:{{b}}, userarn: c}\n"));
        assertThat(config.users()).extracting(UserMapping::userArn).containsExactly("a");
        assertThat(config.hasErrors()).isFalse();
        AwsAuthConfig inDocument = AwsAuthParser.parse(Map.of("mapUsers",
                "  - userarn: a\n  - {username: a:{{b}}, userarn: c}\n"));
        assertThat(inDocument.users()).isEmpty();
        assertThat(inDocument.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("cannot be read"));
    }

    @Test
    void anUnknownDirectiveIsAnErrorWhereSnakeYamlSkipsIt() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapAccounts", "- \"111122223333\"\n%- x\n"));
        assertThat(config.accounts()).isEmpty();
        assertThat(config.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("directive"));
        assertThat(AwsAuthParser.parse(Map.of("mapAccounts", "- \"111122223333\"\n%YAML 1.1\n")).accounts())
                .as("after the document, a known directive is not read").extracting(AccountMapping::accountId)
                .containsExactly("111122223333");
        assertThat(AwsAuthParser.parse(Map.of("mapRoles", "%I")).hasErrors()).isTrue();
    }

    @Test
    void tabsAfterBlanksAreSeparationAfterAValueIndicatorButNotAfterADash() {
        assertThat(AwsAuthParser.parse(Map.of("mapRoles", "- rolearn: \tx\n")).roles())
                .extracting(RoleMapping::roleArn).containsExactly("x");
        assertThat(AwsAuthParser.parse(Map.of("mapRoles", "- rolearn:  \t x\n")).roles())
                .extracting(RoleMapping::roleArn).containsExactly("x");
        AwsAuthConfig dash = AwsAuthParser.parse(Map.of("mapAccounts", "-\t\n"));
        assertThat(dash.accounts()).isEmpty();
        assertThat(dash.hasErrors()).isTrue();
        assertThat(AwsAuthParser.parse(Map.of("mapAccounts", "- 0123\n - \t12_345\n")).accounts())
                .as("a dash inside a continued plain scalar is content").extracting(AccountMapping::accountId)
                .containsExactly("0123 - \t12_345");
        assertThat(AwsAuthParser.parse(Map.of("mapUsers", "- userarn: x\n  username: ops-{{\tAccountID}}\n")).users())
                .as("'{' inside a block plain scalar opens nothing").extracting(UserMapping::username)
                .containsExactly("ops-{{\tAccountID}}");
    }

    @Test
    void afterAnEmptyRootFlowCollectionGoYamlReadsOneMoreTokenOnly() {
        for (String text : java.util.List.of("[]&x @_", "[]&x *x&a\n", "[]<<: \n", "[]\n[]-\n", " []:\n", "[][]`\n", "[]#c")) {
            AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapRoles", text));
            assertThat(config.hasErrors()).as(text).isFalse();
            assertThat(config.roles()).as(text).isEmpty();
        }
        for (String text : java.util.List.of("[] @_", "[]`", "[]\n%x", "[]& x", "[a]&x @_", "[]\n[@]\n", "[]'\n", "[]-\n",
                " []%", " []?", "[]?")) {
            assertThat(AwsAuthParser.parse(Map.of("mapRoles", text)).hasErrors()).as(text).isTrue();
        }
    }

    @Test
    void tabsInTheIndentOfAContinuedPlainScalarAreBlanksRightOfItsBlockIndent() {
        assertThat(AwsAuthParser.parse(Map.of("mapRoles",
                "    - rolearn: arn:aws-cn:iam::444455556666:role/Ops\n       \t - system:masters\n      username: u\n"))
                .roles()).extracting(RoleMapping::roleArn).containsExactly("arn:aws-cn:iam::444455556666:role/Ops - system:masters");
        assertThat(AwsAuthParser.parse(Map.of("mapAccounts", "  - a\n    \tb\n")).accounts())
                .extracting(AccountMapping::accountId).containsExactly("a b");
        for (Map<String, String> violates : java.util.List.of(Map.of("mapRoles", "- rolearn: a\n  \t b\n"),
                Map.of("mapAccounts", "  - a\n  \t  b\n"), Map.of("mapAccounts", "- a # c\n   \tb\n"),
                Map.of("mapAccounts", "- \"a\"\n   \tb\n"))) {
            assertThat(AwsAuthParser.parse(violates).hasErrors()).as(violates.toString()).isTrue();
        }
    }

    @Test
    void binaryWithoutBase64PaddingIsAnErrorAsInGo() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of("mapAccounts", " - !!binary aGVsbG8\n"));
        assertThat(config.hasErrors()).isTrue();
        assertThat(AwsAuthParser.parse(Map.of("mapAccounts", "- !!binary aGVsbG8=\n")).accounts())
                .extracting(AccountMapping::accountId).containsExactly("hello");
    }

    /**
     * The reader's errors are keyed sentences (messages.properties) in the words they always had: the mappings
     * page resolves them through Spring's MessageSource, the CLI and findings print message() (Sentence.text()).
     */
    @Test
    void readerErrorsAreKeyedSentencesThatReadTheSameOnPagesAndInTheCli() {
        AwsAuthConfig config = AwsAuthParser.parse(Map.of(
                "mapRoles", "- rolearn: 12\n  groups: [a, yes]\n- sso: {accountID: abc, permissionSetName: Admin}\n",
                "mapUsers", "{\"a\": 1}\n"));
        org.springframework.context.support.ResourceBundleMessageSource pages =
                new org.springframework.context.support.ResourceBundleMessageSource();
        pages.setBasename("messages"); // as Spring Boot sets it up from spring.messages.*
        pages.setDefaultEncoding("UTF-8");
        pages.setFallbackToSystemLocale(false);
        assertThat(config.errors()).extracting(EntryError::message).containsExactlyInAnyOrder(
                "mapUsers is a JSON object (or starts with \"{\"); it must be a list of mappings",
                "rolearn is a number (quote it), not a string",
                "groups[1] is the boolean true (YAML 1.1 reads yes/no/on/off/y/n as booleans; quote it), not a string",
                "the entry has neither rolearn nor sso; the authenticator ignores this entry",
                "sso.accountID 'abc' is not a 12-digit AWS account ID (quote it); the authenticator ignores this entry");
        assertThat(config.errors()).allSatisfy(error -> {
            assertThat(error.why().key()).startsWith("text.aws-auth-read.");
            assertThat(pages.getMessage(error.why(), java.util.Locale.ENGLISH)).isEqualTo(error.message());
        });
    }
}
