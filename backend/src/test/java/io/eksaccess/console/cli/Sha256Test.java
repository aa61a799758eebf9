package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.rbac.Subject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written pieces a cache hit uses instead of the JDK's (issue 19) compute what the JDK's do. */
class Sha256Test {

    @Test
    void equalsMessageDigestForEveryLengthAroundTheBlockAndPaddingEdges() throws Exception {
        Random random = new Random(19);
        for (int length = 0; length <= 300; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            assertThat(new Sha256().update(bytes).digest()).as("length %d", length)
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
    }

    @Test
    void equalsMessageDigestWhenFedInPieces() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 50; round++) {
            byte[] bytes = new byte[random.nextInt(5_000)];
            random.nextBytes(bytes);
            Sha256 sha = new Sha256();
            for (int at = 0; at < bytes.length;) {
                int n = Math.min(bytes.length - at, random.nextInt(200));
                sha.update(bytes, at, n);
                at += n;
            }
            assertThat(sha.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        // FIPS 180-4's own example
        assertThat(java.util.HexFormat.of().formatHex(new Sha256().update("abc".getBytes(StandardCharsets.US_ASCII)).digest()))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    /** Subject's written-out equals and hashCode are the record's generated ones (hash-ordered output depends on it). */
    @Test
    void subjectHashesAndComparesAsTheGeneratedRecordMethodsDo() {
        record Generated(String kind, String name, String namespace) {}
        String[] values = {null, "", "User", "Group", "ServiceAccount", "alice", "system:masters", "team-a", "ä"};
        for (String kind : values) {
            for (String name : values) {
                for (String namespace : values) {
                    Subject subject = new Subject(kind, name, namespace);
                    assertThat(subject.hashCode()).isEqualTo(new Generated(kind, name, namespace).hashCode());
                    for (String other : values) {
                        Subject changed = new Subject(kind, name, other);
                        assertThat(subject.equals(changed)).isEqualTo(new Generated(kind, name, namespace)
                                .equals(new Generated(kind, name, other)));
                    }
                }
            }
        }
        assertThat(Subject.user("a")).isNotEqualTo(null).isNotEqualTo("a").isEqualTo(Subject.user("a"));
    }
}
