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

    /**
     * rules-for's look-up is kept in the encoding (format 3) and read on first use: a kept index
     * answers rules-for as the built one for users, groups, service accounts and identities with
     * several groups, each a fresh decode so the look-up read from the bytes is the one asked.
     */
    @Test
    void keptRulesForLookUpAnswersAsTheBuiltIndex() {
        SyntheticRbacWorld world = new SyntheticRbacWorld("subjects", 150, 1200, 15, 23);
        RbacIndex built = RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
        byte[] bytes = PreparedIndex.encode(built);
        assertThat(bytes).as("the look-up survives the round trip").isNotNull();
        List<Identity> identities = new ArrayList<>();
        world.users.subList(0, 8).forEach(user -> identities.add(new Identity(user, List.of())));
        world.groups.subList(0, 5).forEach(group -> identities.add(new Identity("probe", List.of(group))));
        identities.add(new Identity("someone", world.groups.subList(0, 3)));
        identities.add(new Identity("nobody-bound", List.of("no-such-group")));
        built.subjects().stream().filter(subject -> subject.kind().equals(Subject.SERVICE_ACCOUNT)).limit(5)
                .forEach(sa -> identities.add(Identity.of(sa)));
        int answered = 0;
        for (Identity identity : identities) {
            RbacIndex kept = PreparedIndex.decode(bytes, 0, bytes.length);
            List<RuleGrant> expected = built.rulesFor(identity);
            assertThat(kept.rulesFor(identity)).as("rules-for %s", identity).isEqualTo(expected);
            assertThat(kept.rulesFor(identity)).as("asked again").isEqualTo(expected);
            answered += expected.isEmpty() ? 0 : 1;
        }
        assertThat(answered).as("identities with rules").isGreaterThan(identities.size() / 2);
    }

    /**
     * Damage behind the frame's CRC (which PreparedCache checks first) must never turn a load or an
     * answer into a crash: each byte of the encoding's tail (where rules-for's look-up is) flipped,
     * the decode either refuses the bytes or answers every question without throwing. A flip that
     * still reads as a valid look-up may answer differently; only the CRC can catch that, and
     * PreparedCacheTest shows a damaged entry is never used.
     */
    @Test
    void aDamagedTailIsRefusedOrStillAnswers() {
        SyntheticRbacWorld world = new SyntheticRbacWorld("tail", 40, 200, 4, 29);
        RbacIndex built = RbacIndex.build(world.roles, world.clusterRoles, world.roleBindings, world.clusterRoleBindings);
        byte[] bytes = PreparedIndex.encode(built);
        assertThat(bytes).isNotNull();
        // The look-up is last and a load skips it: its last number left unterminated, it no longer
        // reads, and rules-for makes the look-up from the bindings instead, answering exactly.
        byte[] unreadable = bytes.clone();
        unreadable[unreadable.length - 1] |= (byte) 0x80;
        RbacIndex fallback = PreparedIndex.decode(unreadable, 0, unreadable.length);
        for (String user : world.users.subList(0, 4)) {
            Identity identity = new Identity(user, List.of(world.groups.get(1)));
            assertThat(fallback.rulesFor(identity)).as("rules-for %s", identity).isEqualTo(built.rulesFor(identity))
                    .isNotEmpty();
        }
        for (int at = Math.max(0, bytes.length - 400); at < bytes.length; at++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] damaged = bytes.clone();
                damaged[at] ^= (byte) bit;
                RbacIndex kept;
                try {
                    kept = PreparedIndex.decode(damaged, 0, damaged.length);
                } catch (IllegalArgumentException e) {
                    continue; // refused: the entry is a miss
                }
                for (String user : world.users.subList(0, 3)) {
                    assertThat(kept.rulesFor(new Identity(user, List.of()))).isNotNull();
                }
                assertThat(kept.rulesFor(new Identity("x", List.of(world.groups.get(0))))).isNotNull();
            }
        }
    }
}
