package io.eksaccess.console.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.bench.SyntheticRbacWorld;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** RbacJson.JSON writes what a default JsonMapper writes, byte for byte, without building one (issue 19). */
class RbacJsonTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void answersAreWrittenAsAJsonMapperWritesThem() {
        SyntheticRbacWorld world = new SyntheticRbacWorld("json", 60, 300, 5, 3);
        RbacIndex index = RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
        List<JsonNode> trees = new ArrayList<>();
        for (String namespace : List.of("", "json-ns0", "json-ns3")) {
            AccessRequest request = AccessRequest.resource("get", "", "pods", "", "", namespace);
            trees.add(RbacJson.whoCan(index.whoCan(request)));
            for (String user : world.users.subList(0, 3)) {
                Identity identity = new Identity(user, world.groups.subList(0, 1));
                trees.add(RbacJson.canI(index.canI(identity, request)));
                trees.add(RbacJson.rulesFor(Subject.user(user), identity, index.rulesFor(identity)));
            }
        }
        trees.add(RbacJson.canI(index.canI(new Identity("u", List.of()), AccessRequest.nonResource("get", "/healthz"))));
        AccessRequest coreDeployments = AccessRequest.resource("get", "", "deployments", "", "", "json-ns0");
        trees.add(RbacJson.whoCan(coreDeployments, index.whoCan(coreDeployments)));
        assertThat(trees.get(trees.size() - 1).path("likelyGroup").path("apiGroup").asString()).isEqualTo("apps");
        for (JsonNode tree : trees) {
            assertThat(RbacJson.JSON.writeValueAsString(tree)).isEqualTo(MAPPER.writeValueAsString(tree));
        }
        assertThat(trees).hasSize(23);
    }

    @Test
    void awkwardTextNumbersAndNestingAreWrittenAsAJsonMapperWritesThem() {
        ObjectNode root = RbacJson.JSON.createObjectNode();
        String[] texts = {"", "/healthz", "a/b/*", "\"quoted\"", "back\\slash", "tab\tnew\nline\rform\fback\b",
            "\u0000\u0001\u001f\u007f", "ä ü ß", "😀", "\ud800 lone", "</script>", "\u2028\u2029", "<&'>"};
        ArrayNode array = root.putArray("texts");
        for (String text : texts) {
            array.add(text);
            root.put(text, text); // as a name too
        }
        root.put("int", Integer.MIN_VALUE).put("long", Long.MAX_VALUE).put("true", true).put("false", false);
        root.putNull("null");
        root.put("nullText", (String) null);
        root.putObject("empty");
        root.putArray("none");
        root.putObject("deep").putArray("a").addObject().putArray("b").add(1).add("x").addNull();
        assertThat(RbacJson.JSON.writeValueAsString(root)).isEqualTo(MAPPER.writeValueAsString(root));
        root.put("double", 1.5); // not one the walk writes: through the mapper
        assertThat(RbacJson.JSON.writeValueAsString(root)).isEqualTo(MAPPER.writeValueAsString(root));
        assertThat(RbacJson.JSON.writeValueAsString(List.of("a", 1))).isEqualTo("[\"a\",1]");
        assertThat(RbacJson.JSON.readTree(MAPPER.writeValueAsString(root))).isEqualTo(root);
    }

    /** Every UTF-16 char (lone surrogates too) and a pair, as a value and as a name, escaped as the mapper does. */
    @Test
    void everyCharIsEscapedAsAJsonMapperEscapesIt() {
        int written = 0;
        for (int from = 0; from < 0x10000; from += 512) {
            ObjectNode root = RbacJson.JSON.createObjectNode();
            ArrayNode array = root.putArray("chars");
            for (int c = from; c < from + 512; c++) {
                String text = "a" + (char) c + "z";
                array.add(text);
                root.put(text, c);
                written++;
            }
            array.add("\ud83d\ude00 \udbff\udfff");
            assertThat(RbacJson.JSON.writeValueAsString(root)).as("chars from %04x", from)
                    .isEqualTo(MAPPER.writeValueAsString(root));
        }
        assertThat(written).isEqualTo(0x10000);
    }
}
