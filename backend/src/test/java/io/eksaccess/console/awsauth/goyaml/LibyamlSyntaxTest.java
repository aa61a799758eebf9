package io.eksaccess.console.awsauth.goyaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Cases seen in the differential test against aws-iam-authenticator (go-yaml v2). */
class LibyamlSyntaxTest {

    @Test
    void separationTabsBecomeSpacesAndContentTabsStay() throws GoYamlException {
        assertThat(LibyamlSyntax.normalize("- \"username\":\t\"u\"")).isEqualTo("- \"username\": \"u\"");
        assertThat(LibyamlSyntax.normalize("- !!float\t1")).isEqualTo("- !!float 1");
        assertThat(LibyamlSyntax.normalize("- \"111122223333\"\t")).isEqualTo("- \"111122223333\" ");
        assertThat(LibyamlSyntax.normalize("- name: a\tb")).as("inside a plain scalar").isEqualTo("- name: a\tb");
        assertThat(LibyamlSyntax.normalize("- name: \"a\tb\"")).as("inside quotes").isEqualTo("- name: \"a\tb\"");
        assertThat(LibyamlSyntax.normalize("key: |\n  a:\tb\nnext:\tx"))
                .as("block scalar content stays, the line after it is scanned again")
                .isEqualTo("key: |\n  a:\tb\nnext: x");
    }

    @Test
    void aColonInsideAFlowPlainScalarIsContentAsGoYamlReadsIt() throws GoYamlException {
        String normalized = LibyamlSyntax.normalize("[{userarn: arn:, groups: [g]}]");
        assertThat(normalized).isEqualTo("[{userarn: arn" + LibyamlSyntax.FLOW_COLON + ", groups: [g]}]");
        assertThat(LibyamlSyntax.normalize("{a: b}")).as("a value indicator followed by a blank").isEqualTo("{a: b}");
        assertThat(LibyamlSyntax.normalize("{\"a\":b}")).as("after a quoted key it is an indicator").isEqualTo("{\"a\":b}");
    }

    @Test
    void aPlainKeyGluedToAFlowCollectionIsAnError() {
        assertThatThrownBy(() -> LibyamlSyntax.normalize("- {a:[b]}"))
                .isInstanceOf(GoYamlException.class)
                .hasMessageContaining("line 1");
    }
}
