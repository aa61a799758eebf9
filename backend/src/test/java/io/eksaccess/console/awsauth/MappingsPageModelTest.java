package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the Mappings tab groups the engine's output: findings per row, filters, dropped YAML lines. */
class MappingsPageModelTest {

    static final AwsAuthConfig CONFIG = AwsAuthParser.parse(Map.of(
            "mapRoles", """
                    - rolearn: arn:aws:iam::111122223333:role/Admins
                      username: admin
                      groups: [system:masters]
                    - groups: [viewers]
                    - rolearn: arn:aws:iam::111122223333:role/Nodes
                      username: system:node:{{EC2PrivateDNSName}}
                      groups: [system:bootstrappers, system:nodes]
                    """,
            "mapAccounts", "- \"444455556666\"\n"));
    static final MappingsPage PAGE = MappingsPage.of(CONFIG, AwsAuthValidator.offline().validate(CONFIG));

    @Test
    void eachRowCarriesTheFindingsAboutItsEntryMostSevereFirst() {
        assertThat(PAGE.rows()).extracting(MappingsPage.Row::anchor)
                .containsExactly("mapRoles-0", "mapRoles-2", "mapAccounts-0");
        MappingsPage.Row admins = PAGE.rows().get(0);
        assertThat(admins.findings()).extracting(Finding::id).containsExactly("AWSAUTH-002", "AWSAUTH-004");
        assertThat(admins.worst()).isEqualTo(Severity.HIGH);
        assertThat(admins.source()).isEqualTo("mapRoles[0]");
        assertThat(admins.yamlAnchor()).isEqualTo("yaml-mapRoles-L1");
        assertThat(PAGE.rows().get(1).findings()).as("a node role needs no {{SessionName}}").isEmpty();
        assertThat(PAGE.rows().get(2).findings()).extracting(Finding::id).containsExactly("AWSAUTH-009");
    }

    @Test
    void theDroppedEntryIsAnErrorWithItsLinesMarkedInTheYaml() {
        assertThat(PAGE.errors()).singleElement().satisfies(error -> {
            assertThat(error.error().index()).isEqualTo(1);
            assertThat(error.finding().id()).isEqualTo("AWSAUTH-001");
            assertThat(error.anchor()).isEqualTo("yaml-mapRoles-L4");
        });
        List<MappingsPage.YamlLine> lines = PAGE.yaml().get(0).lines();
        assertThat(lines).hasSize(7);
        assertThat(lines.stream().filter(MappingsPage.YamlLine::dropped).map(MappingsPage.YamlLine::number))
                .containsExactly(4);
    }

    @Test
    void filterMatchesTextAndFindingIdsCaseInsensitivelyAndByKind() {
        assertThat(PAGE.filter("AWSAUTH-009", null)).extracting(MappingsPage.Row::anchor).containsExactly("mapAccounts-0");
        assertThat(PAGE.filter("System:Nodes", null)).extracting(MappingsPage.Row::anchor).containsExactly("mapRoles-2");
        assertThat(PAGE.filter("", MappingsPage.Kind.ROLE)).hasSize(2);
        assertThat(PAGE.filter("masters", MappingsPage.Kind.ACCOUNT)).isEmpty();
    }
}
