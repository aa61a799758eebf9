package io.eksaccess.console.awsauth;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders before/after text as a unified diff ({@code diff -u} format, 3 lines of context) for
 * the apply preview and the audit record. Common leading and trailing lines are set aside first,
 * so the line-by-line comparison only covers the changed region.
 */
public final class UnifiedDiff {

    private static final int CONTEXT = 3;
    /** Above this many cells the changed region is shown as removed-then-added, without alignment. */
    private static final long MAX_CELLS = 4_000_000;

    private UnifiedDiff() {}

    /** @return the diff lines, empty when the texts are equal */
    public static List<String> render(String name, String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<char[]> ops = new ArrayList<>(); // {'=', '-', '+'} per step, with indexes kept alongside
        List<int[]> at = new ArrayList<>();
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        if (prefix == a.size() && prefix == b.size()) {
            return List.of();
        }
        for (int i = 0; i < prefix; i++) {
            ops.add(new char[] {'='});
            at.add(new int[] {i, i});
        }
        middle(a, b, prefix, a.size() - suffix, prefix, b.size() - suffix, ops, at);
        for (int i = 0; i < suffix; i++) {
            ops.add(new char[] {'='});
            at.add(new int[] {a.size() - suffix + i, b.size() - suffix + i});
        }
        return hunks(name, a, b, ops, at);
    }

    private static void middle(List<String> a, List<String> b, int a0, int a1, int b0, int b1, List<char[]> ops,
            List<int[]> at) {
        int n = a1 - a0;
        int m = b1 - b0;
        if ((long) n * m > MAX_CELLS) {
            for (int i = a0; i < a1; i++) {
                ops.add(new char[] {'-'});
                at.add(new int[] {i, b0});
            }
            for (int j = b0; j < b1; j++) {
                ops.add(new char[] {'+'});
                at.add(new int[] {a1, j});
            }
            return;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(a0 + i).equals(b.get(b0 + j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(a0 + i).equals(b.get(b0 + j))) {
                ops.add(new char[] {'='});
                at.add(new int[] {a0 + i++, b0 + j++});
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new char[] {'-'}); // removals before additions, as diff -u prints them
                at.add(new int[] {a0 + i++, b0 + j});
            } else {
                ops.add(new char[] {'+'});
                at.add(new int[] {a0 + i, b0 + j++});
            }
        }
    }

    private static List<String> hunks(String name, List<String> a, List<String> b, List<char[]> ops, List<int[]> at) {
        List<String> out = new ArrayList<>();
        out.add("--- a/" + name);
        out.add("+++ b/" + name);
        int k = 0;
        while (k < ops.size()) {
            while (k < ops.size() && ops.get(k)[0] == '=') {
                k++;
            }
            if (k == ops.size()) {
                break;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // extend while changes are closer than 2 * CONTEXT unchanged lines apart
            int lastChange = k;
            while (end < ops.size()) {
                if (ops.get(end)[0] != '=') {
                    lastChange = end;
                } else if (end - lastChange > 2 * CONTEXT) {
                    break;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aStart = at.get(start)[0];
            int bStart = at.get(start)[1];
            int aCount = 0;
            int bCount = 0;
            List<String> body = new ArrayList<>();
            for (int x = start; x < end; x++) {
                char op = ops.get(x)[0];
                int[] pos = at.get(x);
                if (op == '=') {
                    body.add(" " + a.get(pos[0]));
                    aCount++;
                    bCount++;
                } else if (op == '-') {
                    body.add("-" + a.get(pos[0]));
                    aCount++;
                } else {
                    body.add("+" + b.get(pos[1]));
                    bCount++;
                }
            }
            out.add("@@ -" + range(aStart, aCount) + " +" + range(bStart, bCount) + " @@");
            out.addAll(body);
            k = end;
        }
        return out;
    }

    private static String range(int start, int count) {
        int first = count == 0 ? start : start + 1;
        return count == 1 ? String.valueOf(first) : first + "," + count;
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : AwsAuthEditor.splitLines(text)) {
            lines.add(line.replaceAll("(\r\n|[\n\r\u0085\u2028\u2029])$", ""));
        }
        return lines;
    }
}
