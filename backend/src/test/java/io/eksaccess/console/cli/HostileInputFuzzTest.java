package io.eksaccess.console.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.awsauth.EntryError;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.testsupport.RunsAlongside;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #14: generated hostile YAML and JSON (aliases, anchors, depth, size, binary bytes,
 * duplicate keys, huge scalars, tags, and mixes of them) through the aws-auth reader and the
 * manifest reader. Each document must end with a result or the reader's own exception (with a
 * message), never another exception or an Error, and within a deadline per document: a bound that
 * tells "ends" from "runs for minutes", not a speed assertion.
 *
 * <p>Seeded: {@code -Dfuzz.seed=N} replays a run, and a failure names the seed and the document.
 * The suite reads 3,000 documents (each of the generator's 12 kinds about 250 times, a third of the
 * time the 10,000 took); {@code -Dfuzz.documents=N} reads more, e.g. 10,000 or, with new seeds, far more.
 */
@RunsAlongside(seconds = 10)
class HostileInputFuzzTest {

    static final int DOCUMENTS = Integer.getInteger("fuzz.documents", 3_000);
    /**
     * The reader thread's CPU time per document. Every document here takes well under 100 ms of it; the
     * old readers ran for minutes or overflowed the stack. CPU time, not wall time: on two cores shared
     * with other builds a document could wait seconds for a core without being slow (a wall-clock
     * deadline of 2 s failed twice that way).
     */
    static final long DEADLINE_MILLIS = 2_000;
    /** Wall time per document, only to end a reader stuck without using CPU (never reached so far). */
    static final long STUCK_MILLIS = 120_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private volatile Thread reader;
    /** An error line quotes at most a few capped echoes. */
    static final int MAX_MESSAGE = 1_000;
    /** A library exception's toString() used as a message: "java.lang.NullPointerException: …". */
    static final Pattern RAW_EXCEPTION = Pattern.compile("\\b(java|javax|tools|com|org|io)\\.[\\w.$]+(Exception|Error)\\b");

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "fuzz-reader");
        reader = thread;
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    @Test
    void everyHostileDocumentEndsWithAResultOrOneClearError() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20_260_114L);
        // Class loading (fabric8, Jackson, SnakeYAML) takes seconds on a cold JVM: not under the deadline.
        Generator warmUp = new Generator(new Random(seed));
        checkManifest(warmUp.manifestLike(), "warm-up");
        checkManifest("{\"kind\":\"List\",\"items\":[]}", "warm-up");
        checkAwsAuth(Map.of("mapRoles", warmUp.awsAuthLike()), "warm-up");
        for (int i = 0; i < DOCUMENTS; i++) {
            Random random = new Random(seed * 1_000_003L + i);
            String document = new Generator(random).document();
            String key = List.of("mapRoles", "mapUsers", "mapAccounts").get(random.nextInt(3));
            String where = "seed " + seed + ", document " + i + " (-Dfuzz.seed=" + seed + "), starting "
                    + Echo.of(document.length() > 120 ? document.substring(0, 120) : document);
            within(where + " [aws-auth " + key + "]", () -> checkAwsAuth(Map.of(key, document), where));
            within(where + " [manifest]", () -> checkManifest(document, where));
        }
    }

    private static void checkAwsAuth(Map<String, String> data, String where) {
        try {
            AwsAuthConfig config = AwsAuthParser.read(data);
            for (EntryError error : config.errors()) {
                assertClear(error.message(), where);
            }
        } catch (AwsAuthUnreadableException e) {
            assertClear(e.getMessage(), where);
        }
        AwsAuthParser.parse(data).errors().forEach(error -> assertClear(error.message(), where));
    }

    private static void checkManifest(String text, String where) {
        try {
            RbacManifests.Dump dump = RbacManifests.loadDumpText("fuzz.yaml", text);
            dump.problems().forEach(problem -> assertClear(problem.message(), where));
            dump.warnings().forEach(warning -> assertClear(warning.message(), where));
        } catch (RbacManifests.UnusableInputException e) {
            assertClear(e.getMessage(), where);
        }
    }

    private static void assertClear(String message, String where) {
        assertThat(message).as(where).isNotBlank();
        assertThat(message.length()).as(where + ": " + Echo.of(message)).isLessThanOrEqualTo(MAX_MESSAGE);
        assertThat(message).as(where).doesNotContain("\n");
        assertThat(RAW_EXCEPTION.matcher(message).find()).as(where + ": a library's exception as the message: " + message)
                .isFalse();
    }

    private void within(String where, Runnable check) throws InterruptedException {
        AtomicLong cpuAtStart = new AtomicLong(-1);
        Future<?> run = worker.submit(() -> {
            cpuAtStart.set(THREADS.getCurrentThreadCpuTime());
            check.run();
        });
        long stuckAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STUCK_MILLIS);
        while (true) {
            try {
                run.get(50, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                long cpuMillis = cpuAtStart.get() < 0 ? 0
                        : TimeUnit.NANOSECONDS.toMillis(THREADS.getThreadCpuTime(reader.getId()) - cpuAtStart.get());
                if (cpuMillis > DEADLINE_MILLIS || System.nanoTime() > stuckAt) {
                    run.cancel(true);
                    fail(where + ": still running after " + cpuMillis + " ms of CPU");
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AssertionError assertion) {
                    throw assertion;
                }
                throw new AssertionError(where + ": ended with " + e.getCause(), e.getCause());
            }
        }
    }

    /** Hostile documents from a grammar of YAML and JSON pieces. */
    static final class Generator {
        private final Random random;
        private final List<String> anchors = new ArrayList<>();

        Generator(Random random) {
            this.random = random;
        }

        String document() {
            return switch (random.nextInt(12)) {
                case 0 -> aliasChain();
                case 1 -> aliasBomb();
                case 2 -> deep();
                case 3 -> json(0);
                case 4 -> binary();
                case 5 -> duplicateKeys();
                case 6 -> hugeScalar();
                case 7 -> mutate(awsAuthLike());
                case 8 -> mutate(manifestLike());
                case 9 -> "---\n" + block(0, 0) + (random.nextBoolean() ? "\n---\n" + block(0, 0) : "");
                case 10 -> flow(0);
                default -> mutate(random.nextBoolean() ? block(0, 0) : flow(0)) + (random.nextBoolean() ? "\n" + binary() : "");
            };
        }

        /** Anchors nesting the previous alias at some depth: nesting that only aliases reveal. */
        private String aliasChain() {
            // Up to the document (four anchors, 990 deep): scanning deep flow nesting is
            // quadratic in libyaml and SnakeYAML alike, so deeper text only tests the machine.
            int anchors = 2 + random.nextInt(3);
            int depth = 1 + random.nextInt(random.nextBoolean() ? 990 : 120);
            boolean flow = random.nextBoolean();
            StringBuilder yaml = new StringBuilder();
            for (int i = 0; i < anchors; i++) {
                String inner = i == 0 ? scalar() : "*c" + (i - 1);
                if (flow) {
                    String open = random.nextBoolean() || depth > 500 ? "[" : "{k: ";
                    String close = open.equals("[") ? "]" : "}";
                    yaml.append("- &c").append(i).append(' ').append(open.repeat(depth)).append(inner)
                            .append(close.repeat(depth)).append('\n');
                } else {
                    yaml.append("- &c").append(i).append('\n');
                    int d = Math.min(depth, 60);
                    for (int level = 0; level < d; level++) {
                        yaml.append("  ".repeat(level + 1)).append("- ").append('\n');
                    }
                    yaml.append("  ".repeat(d + 1)).append("- ").append(inner).append('\n');
                }
            }
            return yaml.toString();
        }

        /** Lists of aliases of the previous list, as keys, values and merges. */
        private String aliasBomb() {
            int levels = 5 + random.nextInt(30);
            int fan = 2 + random.nextInt(9);
            StringBuilder yaml = new StringBuilder(random.nextBoolean() ? "" : "kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: b}\n");
            String top = yaml.isEmpty() ? "- " : "x" + random.nextInt(1000) + ": ";
            boolean list = yaml.isEmpty();
            yaml.append(top).append("&b0 [").append(scalar()).append(", ").append(scalar()).append("]\n");
            for (int i = 1; i < levels; i++) {
                yaml.append(list ? "- " : "x" + i + ": ").append("&b").append(i).append(' ');
                int form = random.nextInt(4);
                if (form == 0) {
                    yaml.append("{<<: *b").append(i - 1).append(", k: *b").append(i - 1).append("}\n");
                } else if (form == 1) {
                    yaml.append("{? *b").append(i - 1).append(" : *b").append(i - 1).append("}\n");
                } else {
                    yaml.append('[');
                    for (int j = 0; j < fan; j++) {
                        yaml.append(j == 0 ? "" : ", ").append("*b").append(i - 1);
                    }
                    yaml.append("]\n");
                }
            }
            if (!list) {
                yaml.append("rules: *b").append(levels - 1).append('\n');
            }
            return yaml.toString();
        }

        private String deep() {
            int depth = 50 + random.nextInt(random.nextInt(10) == 0 ? 20_000 : 1_100);
            return switch (random.nextInt(4)) {
                case 0 -> "[".repeat(depth) + "]".repeat(random.nextInt(depth + 1));
                case 1 -> "{a: ".repeat(depth) + "b" + "}".repeat(depth);
                case 2 -> {
                    StringBuilder yaml = new StringBuilder();
                    for (int i = 0; i < Math.min(depth, 400); i++) {
                        yaml.append(" ".repeat(i)).append("- ").append(random.nextBoolean() ? "\n" : "k:\n");
                    }
                    yaml.append(" ".repeat(Math.min(depth, 400))).append("x\n");
                    yaml.setLength(Math.min(yaml.length(), 200_000));
                    yield yaml.toString();
                }
                default -> "[" + "{\"a\":[".repeat(depth) + "1" + "]}".repeat(depth) + "]";
            };
        }

        private String json(int depth) {
            if (depth > 6 || random.nextInt(4) == 0) {
                return switch (random.nextInt(7)) {
                    case 0 -> "\"" + scalar().replace("\"", "") + "\"";
                    case 1 -> "1e" + random.nextInt(100_000);
                    case 2 -> "-" + "9".repeat(1 + random.nextInt(400));
                    case 3 -> "null";
                    case 4 -> "true";
                    case 5 -> "\"\\u" + Integer.toHexString(0xd800 + random.nextInt(0x800)) + "\"";
                    default -> "0.0";
                };
            }
            StringBuilder out = new StringBuilder();
            int n = random.nextInt(5);
            if (random.nextBoolean()) {
                out.append('{');
                String repeated = key();
                for (int i = 0; i < n; i++) {
                    String k = random.nextInt(3) == 0 ? repeated : key();
                    out.append(i == 0 ? "" : ",").append('"').append(k.replace("\"", "")).append("\":").append(json(depth + 1));
                }
                out.append('}');
            } else {
                out.append('[');
                for (int i = 0; i < n; i++) {
                    out.append(i == 0 ? "" : ",").append(json(depth + 1));
                }
                out.append(']');
            }
            return out.toString();
        }

        private String binary() {
            int length = random.nextInt(random.nextInt(20) == 0 ? 100_000 : 400);
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(6);
                out.append(switch (kind) {
                    case 0 -> (char) random.nextInt(32);
                    case 1 -> (char) (0xd800 + random.nextInt(0x800)); // lone surrogates
                    case 2 -> (char) random.nextInt(0x10000);
                    case 3 -> "\uFEFF\u0085\u2028".charAt(random.nextInt(3));
                    default -> ":-[]{},&*!|>'\"%@`#? \t\n".charAt(random.nextInt(22));
                });
            }
            return out.toString();
        }

        private String duplicateKeys() {
            StringBuilder yaml = new StringBuilder();
            int n = 2 + random.nextInt(6);
            String k = key();
            for (int i = 0; i < n; i++) {
                String key = random.nextBoolean() ? k : key();
                yaml.append(random.nextBoolean() ? "- " : "").append(key).append(": ").append(random.nextBoolean() ? scalar() : flow(2)).append('\n');
            }
            if (random.nextBoolean()) {
                return "{\"kind\":\"ConfigMap\",\"data\":{},\"data\":{\"" + k + "\":\"" + k + "\"}}";
            }
            return yaml.toString();
        }

        private String hugeScalar() {
            int length = 1_000 + random.nextInt(random.nextInt(10) == 0 ? 300_000 : 20_000);
            String value = String.valueOf((char) ('a' + random.nextInt(26))).repeat(length);
            return switch (random.nextInt(7)) {
                case 0 -> "- rolearn: " + value + "\n  username: " + value + "\n";
                case 1 -> "- &" + value + " x\n- *" + value + "\n";
                case 2 -> "- !" + value + " x\n";
                case 3 -> "- !!binary " + value + "=\n";
                case 4 -> "- !!float 1" + "0".repeat(length) + "\n";
                case 5 -> "- \"" + value + "\n";
                default -> "- sso: {accountID: " + value + ", permissionSetName: " + value + "}\n";
            };
        }

        private String awsAuthLike() {
            return """
                    - rolearn: arn:aws:iam::111122223333:role/Admins
                      username: admin:{{SessionName}}
                      groups: [system:masters, &g dev]
                    - sso: {permissionSetName: Admin, accountID: "111122223333", partition: aws}
                      username: sso:{{SessionName}}
                      groups: [*g]
                    - userarn: arn:aws:iam::111122223333:user/alice
                      username: alice
                      <<: {groups: [ops]}
                    - "444455556666"
                    """;
        }

        private String manifestLike() {
            return """
                    apiVersion: v1
                    kind: List
                    items:
                    - apiVersion: rbac.authorization.k8s.io/v1
                      kind: ClusterRoleBinding
                      metadata: {name: admins, labels: &l {a: b}}
                      roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
                      subjects: [{kind: Group, name: admins}]
                    - apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: aws-auth, namespace: kube-system, labels: *l}
                      data: {mapRoles: "- rolearn: arn:aws:iam::1:role/A\\n"}
                    - apiVersion: v1
                      kind: Pod
                      metadata: {name: p, namespace: kube-system}
                      spec: {containers: [{name: c, image: i, securityContext: {privileged: true}}]}
                    """;
        }

        /** Inserts, deletes and replaces characters, sometimes hostile pieces. */
        private String mutate(String text) {
            StringBuilder out = new StringBuilder(text);
            int edits = 1 + random.nextInt(8);
            for (int i = 0; i < edits && out.length() > 0; i++) {
                int at = random.nextInt(out.length());
                switch (random.nextInt(5)) {
                    case 0 -> out.deleteCharAt(at);
                    case 1 -> out.insert(at, ":-[]{},&*!|>'\"%@`#? \t\n\0".charAt(random.nextInt(23)));
                    case 2 -> out.insert(at, random.nextBoolean() ? "&z" + random.nextInt(3) + " " : "*z" + random.nextInt(3));
                    case 3 -> out.insert(at, random.nextBoolean() ? "[".repeat(random.nextInt(1_200)) : "!!" + List.of(
                            "binary", "int", "map", "seq", "set", "omap", "pairs", "timestamp", "python/object", "str", "merge")
                            .get(random.nextInt(11)) + " ");
                    default -> out.setCharAt(at, (char) random.nextInt(0x3000));
                }
            }
            return out.toString();
        }

        private String block(int indent, int depth) {
            StringBuilder yaml = new StringBuilder();
            int n = 1 + random.nextInt(4);
            boolean list = random.nextBoolean();
            for (int i = 0; i < n; i++) {
                yaml.append(" ".repeat(indent)).append(list ? "- " : key() + ": ");
                String anchor = random.nextInt(5) == 0 ? "&" + newAnchor() + " " : "";
                if (depth < 6 && random.nextInt(3) == 0) {
                    yaml.append(anchor).append('\n').append(block(indent + 2, depth + 1));
                } else {
                    yaml.append(anchor).append(random.nextInt(4) == 0 ? alias() : scalar()).append('\n');
                }
            }
            return yaml.toString();
        }

        private String flow(int depth) {
            if (depth > 5 || random.nextInt(3) == 0) {
                return random.nextInt(4) == 0 ? alias() : scalar();
            }
            StringBuilder out = new StringBuilder(random.nextInt(5) == 0 ? "&" + newAnchor() + " " : "");
            boolean map = random.nextBoolean();
            out.append(map ? '{' : '[');
            int n = random.nextInt(5);
            for (int i = 0; i < n; i++) {
                out.append(i == 0 ? "" : ", ");
                if (map) {
                    out.append(random.nextInt(6) == 0 ? "<<" : random.nextInt(8) == 0 ? "? " + flow(depth + 1) : key()).append(": ");
                }
                out.append(flow(depth + 1));
            }
            return out.append(map ? '}' : ']').toString();
        }

        private String newAnchor() {
            String name = "n" + anchors.size();
            anchors.add(name);
            return name;
        }

        private String alias() {
            return anchors.isEmpty() ? "*missing" : "*" + anchors.get(random.nextInt(anchors.size()));
        }

        private String key() {
            return List.of("rolearn", "userarn", "username", "groups", "sso", "kind", "apiVersion", "metadata", "data",
                    "items", "rules", "subjects", "roleRef", "RoleArn", "accountID", "a").get(random.nextInt(16));
        }

        private String scalar() {
            return List.of("x", "arn:aws:iam::111122223333:role/A", "system:masters", "~", "null", "yes", "0x1F", "1e400",
                    ".nan", "-.inf", "2001-12-14t21:59:43.10-05:00", "'q'", "\"d\\x\"", "|\n  lit", ">-\n  fold", "!!binary AAAA",
                    "!!int x", "!!str 1", "!custom v", "\"\\ud800\"", "", "<<", "=", "123456789012").get(random.nextInt(24));
        }
    }
}
