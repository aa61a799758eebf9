package io.eksaccess.console.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.bench.SyntheticRbacWorld;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A kept index answers as the built one (issue 19): one decoded index asked questions over many
 * namespaces in turn, each namespace's bindings built on first use, gives the built index's answers.
 */
class PreparedIndexTest {

    @Test
    void oneDecodedIndexAnswersEveryNamespaceAsTheBuiltIndex() {
        SyntheticRbacWorld world = new SyntheticRbacWorld("kept", 120, 900, 12, 19);
        RbacIndex built = RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
        byte[] bytes = PreparedIndex.encode(built);
        assertThat(bytes).isNotNull();
        RbacIndex kept = PreparedIndex.decode(bytes, 0, bytes.length);
        List<String> namespaces = new ArrayList<>(world.namespaces.stream().map(ns -> ns.getMetadata().getName()).toList());
        namespaces.add("nowhere");
        namespaces.add("");
        java.util.Collections.reverse(namespaces); // not the order they were encoded in
        int asked = 0;
        for (String namespace : namespaces) {
            for (String verb : List.of("get", "list", "delete", "create")) {
                for (String[] resource : List.of(new String[] {"", "pods"}, new String[] {"apps", "deployments"},
                        new String[] {"", "secrets"}, new String[] {"", "pods/log"})) {
                    String[] parts = resource[1].split("/");
                    AccessRequest request = AccessRequest.resource(verb, resource[0], parts[0], parts.length > 1 ? parts[1] : "",
                            "", namespace);
                    assertThat(kept.whoCan(request)).as("who-can %s", request).isEqualTo(built.whoCan(request));
                    for (String user : world.users.subList(0, 4)) {
                        Identity identity = new Identity(user, List.of());
                        assertThat(kept.canI(identity, request)).as("can-i %s %s", user, request)
                                .isEqualTo(built.canI(identity, request));
                    }
                    asked++;
                }
            }
        }
        for (String user : world.users.subList(0, 6)) {
            Identity identity = new Identity(user, List.of());
            assertThat(kept.rulesFor(identity)).as("rules-for %s", user).isEqualTo(built.rulesFor(identity));
        }
        assertThat(kept.subjects()).isEqualTo(built.subjects());
        assertThat(kept.danglingBindings()).isEqualTo(built.danglingBindings());
        assertThat(asked).isEqualTo(namespaces.size() * 16);
    }
}
