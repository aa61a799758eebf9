package io.eksaccess.console.testsupport;

/** The hostile inputs of issue #14 ("Hostile input must end fast and clearly"), built rather than stored. */
public final class HostileDocuments {

    private HostileDocuments() {}

    /**
     * An ~8 KB mapRoles: four anchors, each a 990-deep flow list holding the previous alias. Each
     * list is within the text's depth limit; through the aliases it nests 3,960 deep.
     */
    public static String deepAliasChain() {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            yaml.append("- &a").append(i).append(' ').append("[".repeat(990))
                    .append(i == 0 ? "x" : "*a" + (i - 1)).append("]".repeat(990)).append('\n');
        }
        return yaml.toString();
    }

    /**
     * A ~500-byte manifest of nested lists with 48 aliases: a list whose items are anchors, each a
     * list of two aliases of the previous one, so the last stands for 2^24 lists.
     */
    public static String aliasBombManifest() {
        StringBuilder yaml = new StringBuilder("- &a0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            yaml.append("- &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        return yaml.toString();
    }

    /** A ConfigMap named kube-system/aws-auth as kubectl prints it, with each value as a literal block. */
    public static String configMapYaml(String key, String value) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: aws-auth
                  namespace: kube-system
                data:
                """);
        yaml.append("  ").append(key).append(": |\n");
        value.lines().forEach(line -> yaml.append("    ").append(line).append('\n'));
        return yaml.toString();
    }
}
