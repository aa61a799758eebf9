package io.eksaccess.console.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A built {@link RbacIndex} as bytes and back, for the CLI's prepared-dump cache (issue 19): what
 * the index computed (aggregated rules, bindings in name order, subject order, who-can's grantees
 * and role look-ups) is kept as it is, so loading it neither parses, aggregates, sorts nor hashes
 * the dump's objects again. A string table, then numbers (7 bits a byte) that point into it and
 * into the tables of subjects, rules and rule lists (shared as the index shares them). Exact by
 * check: {@link #encode} decodes what it wrote and returns null unless every part equals the
 * index's, and strings that UTF-8 cannot carry (a lone surrogate) mean no encoding.
 */
public final class PreparedIndex {

    private PreparedIndex() {}

    /** @return the encoding, or null when the index does not survive the round trip exactly */
    public static byte[] encode(RbacIndex index) {
        try {
            byte[] bytes = new Writer().index(index);
            return same(index, decode(bytes, 0, bytes.length)) ? bytes : null;
        } catch (java.io.IOException | IllegalArgumentException | IllegalStateException e) {
            return null; // a string UTF-8 cannot carry, a rule with properties this format leaves out
        } catch (RuntimeException e) {
            return null; // an index past the end: not an encoding of what was given
        }
    }

    /** @throws IllegalArgumentException when bytes[from, to) is not an encoding of this format */
    public static RbacIndex decode(byte[] bytes, int from, int to) {
        try {
            return new Reader(bytes, from, to).index();
        } catch (RuntimeException e) { // an index past a table's end, a null where a name must be
            throw new IllegalArgumentException("truncated or malformed: " + e.getClass().getSimpleName());
        }
    }

    private static boolean same(RbacIndex a, RbacIndex b) {
        return a.clusterBindings.equals(b.clusterBindings) && a.bindingsByNamespace.equals(b.bindingsByNamespace)
                && a.clusterRoleRules.equals(b.clusterRoleRules) && a.roleRules.equals(b.roleRules)
                && a.subjectOrder.equals(b.subjectOrder) && sameGrantees(a.clusterGrantees, b.clusterGrantees)
                && a.granteesByNamespace.keySet().equals(b.granteesByNamespace.keySet())
                && a.granteesByNamespace.entrySet().stream().allMatch(e -> sameGrantees(e.getValue(),
                        b.granteesByNamespace.get(e.getKey())))
                && a.rolesByVerb.equals(b.rolesByVerb) && a.rolesByResource.equals(b.rolesByResource)
                && sameNumbers(a.bindingsBySubject().byUsername(), b.bindingsBySubject().byUsername())
                && sameNumbers(a.bindingsBySubject().byGroup(), b.bindingsBySubject().byGroup());
    }

    private static boolean sameNumbers(Map<String, int[]> a, Map<String, int[]> b) {
        return a.keySet().equals(b.keySet()) && a.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(),
                b.get(e.getKey())));
    }

    private static boolean sameGrantees(List<RbacIndex.Grantees> a, List<RbacIndex.Grantees> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            RbacIndex.Grantees x = a.get(i);
            RbacIndex.Grantees y = b.get(i);
            if (!x.binding().equals(y.binding()) || x.role() != y.role() || x.grantsSomeone() != y.grantsSomeone()
                    || !Arrays.equals(x.reaches(), y.reaches())) {
                return false;
            }
        }
        return true;
    }

    private static final class Writer {
        private final Map<String, Integer> strings = new HashMap<>();
        private final List<String> stringTable = new ArrayList<>();
        private final Map<Subject, Integer> subjects = new HashMap<>();
        private final List<Subject> subjectTable = new ArrayList<>();
        private final Map<PolicyRule, Integer> rules = new IdentityHashMap<>();
        private final List<PolicyRule> ruleTable = new ArrayList<>();
        private final Map<List<PolicyRule>, Integer> ruleLists = new IdentityHashMap<>();
        private final List<List<PolicyRule>> ruleListTable = new ArrayList<>();
        private ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);

        byte[] index(RbacIndex index) throws CharacterCodingException, java.io.IOException {
            // The body first (it numbers strings, subjects and rules), then the tables before it.
            number(index.clusterRoleRules.size());
            index.clusterRoleRules.forEach((name, list) -> {
                string(name);
                number(ruleList(list));
            });
            number(index.roleRules.size());
            index.roleRules.forEach(list -> number(ruleList(list)));
            bindings(index.clusterBindings, index.clusterGrantees);
            number(index.bindingsByNamespace.size());
            index.bindingsByNamespace.forEach((namespace, bindings) -> {
                string(namespace);
                // Behind its length: a load steps over it, the first question to read the namespace reads it.
                ByteArrayOutputStream before = out;
                out = new ByteArrayOutputStream(1 << 10);
                bindings(bindings, index.granteesByNamespace.get(namespace));
                byte[] block = out.toByteArray();
                out = before;
                number(block.length);
                out.writeBytes(block);
            });
            number(index.subjectOrder.size());
            index.subjectOrder.forEach(subject -> number(subject(subject)));
            roles(index.rolesByVerb);
            roles(index.rolesByResource);
            // Last, behind its length: a load skips it, rules-for reads it (see Reader#lookup).
            ByteArrayOutputStream before = out;
            out = new ByteArrayOutputStream(1 << 16);
            RbacIndex.BindingsBySubject lookup = index.bindingsBySubject();
            numbers(lookup.byUsername());
            numbers(lookup.byGroup());
            ByteArrayOutputStream section = out;
            out = before;
            number(section.size());
            section.writeTo(out);
            ByteArrayOutputStream body = out;
            // The subject and rule tables name strings too: written before the string table is.
            out = new ByteArrayOutputStream(1 << 16);
            number(subjectTable.size());
            for (Subject subject : subjectTable) {
                string(subject.kind());
                string(subject.name());
                string(subject.namespace());
            }
            number(ruleTable.size());
            for (PolicyRule rule : ruleTable) {
                if (rule.getAdditionalProperties() != null && !rule.getAdditionalProperties().isEmpty()) {
                    throw new IllegalStateException("a rule with additional properties");
                }
                strings(rule.getApiGroups());
                strings(rule.getNonResourceURLs());
                strings(rule.getResourceNames());
                strings(rule.getResources());
                strings(rule.getVerbs());
            }
            number(ruleListTable.size());
            for (List<PolicyRule> list : ruleListTable) {
                number(list.size());
                list.forEach(rule -> number(rule(rule)));
            }
            ByteArrayOutputStream tables = out;
            out = new ByteArrayOutputStream(body.size() + tables.size() + 32 * stringTable.size());
            var encoder = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            number(stringTable.size());
            for (String text : stringTable) {
                ByteBuffer utf8 = encoder.encode(CharBuffer.wrap(text));
                number(utf8.remaining());
                out.write(utf8.array(), utf8.position(), utf8.remaining());
            }
            tables.writeTo(out);
            body.writeTo(out);
            return out.toByteArray();
        }

        /** The bindings and, one for one, their who-can grantees. */
        private void bindings(List<RbacIndex.Binding> bindings, List<RbacIndex.Grantees> grantees) {
            if (grantees.size() != bindings.size()) {
                throw new IllegalStateException("grantees out of step with bindings");
            }
            number(bindings.size());
            for (int i = 0; i < bindings.size(); i++) {
                RbacIndex.Binding binding = bindings.get(i);
                RbacIndex.Grantees grantee = grantees.get(i);
                if (grantee.binding() != binding) {
                    throw new IllegalStateException("grantees out of step with bindings");
                }
                BindingRef ref = binding.ref();
                string(ref.kind());
                string(ref.name());
                string(ref.namespace());
                string(ref.roleKind());
                string(ref.roleName());
                number(binding.subjects().size());
                binding.subjects().forEach(subject -> number(subject(subject)));
                number(binding.rules() == null ? 0 : ruleList(binding.rules()) + 1);
                number(grantee.role() + 1);
                number(grantee.grantsSomeone() ? 1 : 0);
                number(grantee.reaches().length);
                for (int subject : grantee.reaches()) {
                    number(subject);
                }
            }
        }

        /** Each name, then its binding numbers (ascending) as the first and the steps between. */
        private void numbers(Map<String, int[]> byName) {
            number(byName.size());
            byName.forEach((name, numbers) -> {
                string(name);
                number(numbers.length);
                int previous = -1;
                for (int n : numbers) {
                    if (n <= previous) {
                        throw new IllegalStateException("binding numbers out of order");
                    }
                    number(n - previous);
                    previous = n;
                }
            });
        }

        private void roles(Map<String, BitSet> roles) {
            number(roles.size());
            roles.forEach((name, set) -> {
                string(name);
                long[] words = set.toLongArray();
                number(words.length);
                for (long word : words) {
                    number((int) word);
                    number((int) (word >>> 32));
                }
            });
        }

        private int subject(Subject subject) {
            return subjects.computeIfAbsent(subject, s -> {
                subjectTable.add(s);
                return subjectTable.size() - 1;
            });
        }

        private int rule(PolicyRule rule) {
            return rules.computeIfAbsent(rule, r -> {
                ruleTable.add(r);
                return ruleTable.size() - 1;
            });
        }

        private int ruleList(List<PolicyRule> list) {
            Integer id = ruleLists.get(list);
            if (id == null) {
                id = ruleListTable.size();
                ruleLists.put(list, id);
                ruleListTable.add(list);
                list.forEach(this::rule);
            }
            return id;
        }

        private void strings(List<String> list) {
            number(list == null ? 0 : list.size() + 1);
            if (list != null) {
                list.forEach(this::string);
            }
        }

        /** A nullable string: 0 for null, else its table index + 1. */
        private void string(String text) {
            if (text == null) {
                number(0);
                return;
            }
            Integer id = strings.get(text);
            if (id == null) {
                id = stringTable.size();
                strings.put(text, id);
                stringTable.add(text);
            }
            number(id + 1);
        }

        /** An int, 7 bits a byte (negative ones take five bytes). */
        private void number(int value) {
            while ((value & ~0x7f) != 0) {
                out.write((value & 0x7f) | 0x80);
                value >>>= 7;
            }
            out.write(value);
        }
    }

    /**
     * One namespace's bindings and their who-can grantees (one for one, as {@link RbacIndex} keeps
     * them), read and checked when a question first reads them: a cache hit then reads the
     * namespaces its question reads, not all 20,000 bindings of a large dump. Bytes that do not read
     * as written then are {@link Damaged}, which the CLI answers by reading the dump itself.
     */
    private static final class Block {
        private final Reader tables;
        private final int from;
        private final int to;
        private final int roles;
        private final int size;
        private RbacIndex.Binding[] built;
        private RbacIndex.Grantees[] builtGrantees;

        final List<RbacIndex.Binding> bindings = new AbstractList<>() {
            @Override
            public RbacIndex.Binding get(int index) {
                return build()[index];
            }

            @Override
            public int size() {
                return size;
            }
        };
        final List<RbacIndex.Grantees> grantees = new AbstractList<>() {
            @Override
            public RbacIndex.Grantees get(int index) {
                build();
                return builtGrantees[index];
            }

            @Override
            public int size() {
                return size;
            }
        };

        /** The block is bytes[from, to) of {@code tables}' reader; {@code roles}: how many roles there are. */
        Block(Reader tables, int from, int to, int roles) {
            this.tables = tables;
            this.from = from;
            this.to = to;
            this.roles = roles;
            size = new Reader(tables.bytes, from, to).size();
        }

        private synchronized RbacIndex.Binding[] build() {
            if (built == null) {
                try {
                    Reader reader = new Reader(tables.bytes, from, to);
                    reader.strings = tables.strings;
                    reader.subjects = tables.subjects;
                    reader.ruleLists = tables.ruleLists;
                    List<RbacIndex.Grantees> read = new ArrayList<>(size);
                    RbacIndex.Binding[] bindings = reader.bindings(read).toArray(new RbacIndex.Binding[0]);
                    if (reader.at != to || bindings.length != size) {
                        throw new IllegalArgumentException("a namespace's bindings end elsewhere than its length says");
                    }
                    for (RbacIndex.Grantees grantee : read) {
                        Reader.check(grantee, roles, tables.orderLength);
                    }
                    builtGrantees = read.toArray(new RbacIndex.Grantees[0]);
                    built = bindings;
                } catch (RuntimeException e) {
                    throw new Damaged(e);
                }
            }
            return built;
        }
    }

    /**
     * A kept index whose namespace bytes, read when a question first needs them, do not read as
     * written (the entry's CRC-32C matched all the same: an edit, or a collision). Never an answer:
     * the CLI answers the question from the dump itself instead.
     */
    public static final class Damaged extends RuntimeException {
        Damaged(RuntimeException cause) {
            super("a kept index does not read as written: " + cause, cause);
        }
    }

    /**
     * The string table: where each string's bytes are, each made into a String when first read (a
     * hit reads the names of the bindings it builds, not all 25,000 of a large dump's).
     */
    private static final class Strings {
        private final byte[] bytes;
        private final int[] from;
        private final int[] length;
        private final String[] made;

        Strings(byte[] bytes, int size) {
            this.bytes = bytes;
            from = new int[size];
            length = new int[size];
            made = new String[size];
        }

        int size() {
            return made.length;
        }

        /** Racing threads make equal strings: a String is safe to publish so. */
        String get(int index) {
            String text = made[index];
            if (text == null) {
                text = new String(bytes, from[index], length[index], StandardCharsets.UTF_8);
                made[index] = text;
            }
            return text;
        }
    }

    /**
     * The rule table: where each rule is, each made when a question first matches it (who-can
     * matches only the roles that name its verb and resource). {@link Reader#scanRule} checked
     * them all, so making one cannot fail.
     */
    private static final class Rules {
        private final Reader tables;
        private final int[] from;
        private final PolicyRule[] made;

        Rules(Reader tables, int size) {
            this.tables = tables;
            from = new int[size];
            made = new PolicyRule[size];
        }

        synchronized PolicyRule get(int index) {
            PolicyRule rule = made[index];
            if (rule == null) {
                Reader reader = new Reader(tables.bytes, from[index], tables.end);
                reader.strings = tables.strings;
                rule = new PolicyRule(reader.strings(), reader.strings(), reader.strings(), reader.strings(),
                        reader.strings());
                made[index] = rule;
            }
            return rule;
        }
    }

    /** A role's rules, made from the rule table as they are read. */
    private static final class RuleList extends AbstractList<PolicyRule> implements java.util.RandomAccess {
        private final Rules rules;
        private final int[] ids;

        RuleList(Rules rules, int[] ids) {
            this.rules = rules;
            this.ids = ids;
        }

        @Override
        public PolicyRule get(int index) {
            return rules.get(ids[index]);
        }

        @Override
        public int size() {
            return ids.length;
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int at;
        private Strings strings;
        private Subject[] subjects;
        private List<List<PolicyRule>> ruleLists;
        /** How many subjects the subject order has: what a namespace's grantees may reach. */
        private int orderLength;

        Reader(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.at = from;
            this.end = to;
        }

        RbacIndex index() {
            strings = new Strings(bytes, size());
            for (int i = 0; i < strings.size(); i++) {
                int length = count();
                if (length < 0 || length > end - at) {
                    throw new IllegalArgumentException("a string past the end");
                }
                strings.from[i] = at;
                strings.length[i] = length;
                at += length;
            }
            subjects = new Subject[size()];
            for (int i = 0; i < subjects.length; i++) {
                // As RbacIndex makes them: a kind and a name, "" when absent (the queries switch on the kind).
                subjects[i] = new Subject(Objects.requireNonNull(string()), Objects.requireNonNull(string()), string());
            }
            Rules rules = new Rules(this, size());
            for (int i = 0; i < rules.from.length; i++) {
                rules.from[i] = at;
                scanRule();
            }
            int lists = size();
            ruleLists = new ArrayList<>(Math.min(lists, end - at));
            for (int i = 0; i < lists; i++) {
                int[] ids = new int[size()];
                for (int r = 0; r < ids.length; r++) {
                    ids[r] = Objects.checkIndex(count(), rules.from.length);
                }
                ruleLists.add(new RuleList(rules, ids));
            }
            int clusterRoles = size();
            Map<String, List<PolicyRule>> clusterRoleRules = new HashMap<>(Math.min(clusterRoles, end - at) * 2);
            for (int i = 0; i < clusterRoles; i++) {
                clusterRoleRules.put(Objects.requireNonNull(string()), ruleLists.get(count()));
            }
            int roles = size();
            List<List<PolicyRule>> roleRules = new ArrayList<>(Math.min(roles, end - at));
            for (int i = 0; i < roles; i++) {
                roleRules.add(ruleLists.get(count()));
            }
            List<RbacIndex.Grantees> clusterGrantees = new ArrayList<>();
            List<RbacIndex.Binding> clusterBindings = bindings(clusterGrantees);
            int namespaces = size();
            Map<String, List<RbacIndex.Binding>> bindingsByNamespace = new TreeMap<>();
            Map<String, List<RbacIndex.Grantees>> granteesByNamespace = new HashMap<>(Math.min(namespaces, end - at) * 2);
            for (int i = 0; i < namespaces; i++) {
                String namespace = Objects.requireNonNull(string());
                // Read and checked when a question first reads this namespace (most read one of hundreds).
                int length = size();
                Block block = new Block(this, at, at + length, roleRules.size());
                at += length;
                bindingsByNamespace.put(namespace, block.bindings);
                granteesByNamespace.put(namespace, block.grantees);
            }
            Subject[] order = new Subject[size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = subjects[count()];
            }
            orderLength = order.length;
            // who-can indexes these without checks: a number out of range would fail a question, not the load.
            for (RbacIndex.Grantees grantee : clusterGrantees) {
                check(grantee, roleRules.size(), order.length);
            }
            Map<String, BitSet> byVerb = roles();
            Map<String, BitSet> byResource = roles();
            int section = size();
            int lookupFrom = at;
            at += section;
            if (at != end) {
                throw new IllegalArgumentException("bytes after the end");
            }
            int total = clusterBindings.size();
            for (List<RbacIndex.Binding> bindings : bindingsByNamespace.values()) {
                total += bindings.size(); // a Block's size, known unbuilt
            }
            int bindingCount = total;
            return new RbacIndex(List.copyOf(clusterBindings), bindingsByNamespace, clusterRoleRules, roleRules,
                    List.of(order), List.copyOf(clusterGrantees), granteesByNamespace, byVerb, byResource,
                    () -> lookup(lookupFrom, lookupFrom + section, bindingCount));
        }

        /**
         * rules-for's look-up as {@link Writer#numbers} wrote it, read when rules-for first asks (a
         * who-can or can-i hit never does); null when it does not read exactly, and the index then
         * makes it from the bindings, as a built index does.
         */
        private RbacIndex.BindingsBySubject lookup(int from, int to, int bindings) {
            try {
                Reader section = new Reader(bytes, from, to);
                section.strings = strings;
                var byUsername = section.numbers(bindings);
                var byGroup = section.numbers(bindings);
                return section.at == to ? new RbacIndex.BindingsBySubject(byUsername, byGroup) : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** Names to ascending binding numbers below {@code bindings}; anything else throws. */
        private Map<String, int[]> numbers(int bindings) {
            int size = size();
            Map<String, int[]> byName = new HashMap<>(Math.min(size, end - at) * 2);
            for (int i = 0; i < size; i++) {
                String name = Objects.requireNonNull(string());
                int[] numbers = new int[size()];
                int previous = -1;
                for (int n = 0; n < numbers.length; n++) {
                    int step = count();
                    if (step <= 0 || step > bindings - 1 - previous) {
                        throw new IllegalArgumentException("a binding number out of range");
                    }
                    previous += step;
                    numbers[n] = previous;
                }
                if (byName.put(name, numbers) != null) {
                    throw new IllegalArgumentException("a name twice");
                }
            }
            return byName;
        }

        private List<RbacIndex.Binding> bindings(List<RbacIndex.Grantees> grantees) {
            int size = size();
            List<RbacIndex.Binding> bindings = new ArrayList<>(Math.min(size, end - at));
            for (int i = 0; i < size; i++) {
                BindingRef ref = new BindingRef(string(), string(), string(), string(), string());
                Subject[] bound = new Subject[size()];
                for (int s = 0; s < bound.length; s++) {
                    bound[s] = subjects[count()];
                }
                int rulesOf = count();
                RbacIndex.Binding binding = new RbacIndex.Binding(ref, List.of(bound),
                        rulesOf == 0 ? null : ruleLists.get(rulesOf - 1));
                bindings.add(binding);
                int role = count() - 1;
                boolean grantsSomeone = count() == 1;
                int[] reaches = new int[size()];
                for (int r = 0; r < reaches.length; r++) {
                    reaches[r] = count();
                }
                grantees.add(new RbacIndex.Grantees(binding, role, grantsSomeone, reaches));
            }
            return bindings;
        }

        private static void check(RbacIndex.Grantees grantee, int roles, int subjects) {
            if (grantee.role() < -1 || grantee.role() >= roles
                    || (grantee.role() >= 0) != (grantee.binding().rules() != null)) {
                throw new IllegalArgumentException("a role out of range");
            }
            for (int subject : grantee.reaches()) {
                Objects.checkIndex(subject, subjects);
            }
        }

        private Map<String, BitSet> roles() {
            int size = size();
            Map<String, BitSet> roles = new HashMap<>(Math.min(size, end - at) * 2);
            for (int i = 0; i < size; i++) {
                String name = Objects.requireNonNull(string());
                long[] words = new long[size()];
                for (int w = 0; w < words.length; w++) {
                    words[w] = (count() & 0xffffffffL) | ((long) count() << 32);
                }
                roles.put(name, BitSet.valueOf(words));
            }
            return roles;
        }

        /** Walks one rule as {@link Rules#get} reads it, refusing what it would fail on. */
        private void scanRule() {
            for (int field = 0; field < 5; field++) {
                int size = size();
                for (int i = 1; i < size; i++) {
                    int id = count();
                    if (id < 0 || id > strings.size()) {
                        throw new IllegalArgumentException("a string out of range");
                    }
                }
            }
        }

        private List<String> strings() {
            int size = size();
            if (size == 0) {
                return null;
            }
            String[] list = new String[size - 1];
            for (int i = 0; i < list.length; i++) {
                list[i] = string();
            }
            return Arrays.asList(list);
        }

        private String string() {
            int id = count();
            return id == 0 ? null : strings.get(id - 1);
        }

        /** A table's or list's size: each element takes a byte at least, so no more than the bytes left. */
        private int size() {
            int size = count();
            if (size < 0 || size > end - at) {
                throw new IllegalArgumentException("a size past the end");
            }
            return size;
        }

        /** A number as {@link Writer#number} wrote it. */
        private int count() {
            int value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (at >= end) {
                    throw new IllegalArgumentException("truncated");
                }
                byte b = bytes[at++];
                value |= (b & 0x7f) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a number too long");
        }
    }
}
