package io.eksaccess.console.awsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The filing check that a new entry is written to aws-auth and read back exactly (issue #14, item 4). */
class EntryRoundTripTest {

    static final String ROLE = "arn:aws:iam::111122223333:role/dev";

    @Test
    void aUsernameYamlReadsDifferentlyIsNamedWithItsCharacter() {
        assertThat(EntryRoundTrip.problem(new AwsAuthEdit.RoleEntry(ROLE, null, "@A1", List.of("readers"))))
                .hasValueSatisfying(p -> assertThat(p.text()).contains("the username '@A1'").contains("'@' at position 1"));
        assertThat(EntryRoundTrip.problem(new AwsAuthEdit.UserEntry("arn:aws:iam::111122223333:user/u", "@x",
                List.of()))).hasValueSatisfying(p -> assertThat(p.text()).contains("the username '@x'"));
    }

    @Test
    void aGroupYamlReadsDifferentlyIsNamed() {
        assertThat(EntryRoundTrip.problem(new AwsAuthEdit.RoleEntry(ROLE, null, "dev:{{SessionName}}",
                List.of("readers", "@ops")))).hasValueSatisfying(p -> assertThat(p.text()).contains("the group '@ops'")
                        .contains("'@'"));
    }

    @Test
    void namesTheSerializerQuotesButReadsBackExactlyPass() {
        for (String name : List.of("dev:{{SessionName}}", "{{SessionName}}", "true", "07", "x:", "a@b", "=", "a=b",
                "12:30", ".inf", "<<")) {
            assertThat(EntryRoundTrip.problem(new AwsAuthEdit.RoleEntry(ROLE, null, name, List.of(name))))
                    .as(name).isEmpty();
        }
    }
}
