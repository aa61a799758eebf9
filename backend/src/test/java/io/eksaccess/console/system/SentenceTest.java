package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.apply.AccessEntryChange;
import io.eksaccess.console.apply.MappingChange;
import io.eksaccess.console.awsauth.AwsAuthEdit;
import io.eksaccess.console.request.RequestLimits;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/**
 * Sentences read the same through Spring's MessageSource (pages, the API) and without it (the CLI,
 * logs), from messages.properties; nested and joined sentences are resolved from their own keys.
 */
class SentenceTest {

    static final String ROLE = "arn:aws:iam::111122223333:role/dev";

    /** The MessageSource as Spring Boot sets it up from spring.messages.* (application.properties). */
    private static ResourceBundleMessageSource pages() {
        ResourceBundleMessageSource source = new ResourceBundleMessageSource();
        source.setBasename("messages");
        source.setDefaultEncoding("UTF-8");
        source.setFallbackToSystemLocale(false);
        return source;
    }

    @Test
    void aLimitReadsTheSameOnPagesAndWithoutSpringAndNumbersAreNotGrouped() {
        Sentence problem = RequestLimits.problem(new MappingChange.MapRole(
                new AwsAuthEdit.RoleEntry(ROLE, null, "u".repeat(1234), List.of()))).orElseThrow();
        assertThat(problem.key()).isEqualTo("error.limits.username-too-long");
        assertThat(problem.text()).isEqualTo("the username is 1234 characters long; at most 255 are allowed");
        assertThat(pages().getMessage(problem, Locale.ENGLISH)).isEqualTo(problem.text());
    }

    @Test
    void aBatchItemNestsTheItemsOwnSentence() {
        Sentence problem = RequestLimits.problem(new AccessEntryChange.Batch(List.of(
                new AccessEntryChange.CreateAccessEntry(ROLE, "STANDARD", null, List.of("ok"), List.of()),
                new AccessEntryChange.CreateAccessEntry(ROLE + "2", "STANDARD", "=cmd", List.of(), List.of()))))
                .orElseThrow();
        assertThat(problem.key()).isEqualTo("error.limits.batch-item");
        assertThat(((Sentence) problem.args()[2]).key()).isEqualTo("error.limits.username-leading");
        assertThat(pages().getMessage(problem, Locale.ENGLISH)).isEqualTo("change 2 of 2: the username '=cmd' starts"
                + " with '=', which YAML or a spreadsheet reads as something else than text; start it with a letter or digit");
    }

    @Test
    void templatesInASystemIdentityRefusalKeepTheirBraces() {
        Sentence problem = RequestLimits.problem(new MappingChange.MapRole(
                new AwsAuthEdit.RoleEntry(ROLE, null, "system:admin", List.of()))).orElseThrow();
        assertThat(problem.text()).isEqualTo("the username 'system:admin' is a Kubernetes system identity (system:…) and"
                + " would act as one of the cluster's own components; only node roles may use the templates"
                + " system:node:{{EC2PrivateDNSName}} (EC2) or system:node:{{SessionName}} (Fargate). Pick a username"
                + " of your own, e.g. dev:{{SessionName}}");
    }

    @Test
    void joinedSentencesAreEachResolvedAndSeparatedAsBefore() {
        Sentence joined = Sentence.joined(List.of(Sentence.of("error.filing.grant-too-short"),
                Sentence.of("error.filing.masters", "prod"), Sentence.unkeyed("EKS says no.")));
        String expected = "a grant lasts at least 1 hour; the policy of prod does not allow requesting system:masters;"
                + " ask for a group bound to a narrower ClusterRole; EKS says no.";
        assertThat(joined.text()).isEqualTo(expected);
        assertThat(pages().getMessage(joined, Locale.ENGLISH)).isEqualTo(expected);
        assertThat(ConsoleException.invalidBecause(joined).getMessage()).isEqualTo(expected);
        assertThat(Sentence.joined(List.of(Sentence.of("error.filing.grant-too-short"))).key())
                .as("one sentence is not wrapped").isEqualTo("error.filing.grant-too-short");
    }

    @Test
    void aParserRefusalKeepsItsKeyForTheApiAndItsTextForTheCli() {
        InvalidInput refused = new InvalidInput("error.question.verb");
        assertThat(refused.getMessage()).isEqualTo("Give a verb (get, list, watch, create, update, patch, delete, … or *).");
        assertThat(ConsoleException.invalidBecause(refused.why()).key()).isEqualTo("error.question.verb");
    }
}
