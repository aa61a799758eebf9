package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.PreparedIndex;
import io.eksaccess.console.rbac.RbacIndex;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.AggregationRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read dump ({@link RbacManifests.Dump}) as bytes and back, for {@link PreparedCache}: each
 * distinct string once in a table, objects as the fields the RBAC commands and findings read
 * (apiVersion, kind, metadata name/namespace/labels, rules, aggregation rule, roleRef, subjects).
 * Core objects (findings only) travel as fabric8's JSON. Exact by check, not by hope: {@link #encode}
 * decodes what it wrote and returns null unless that equals the input (fabric8's {@code equals}
 * covers every field, additional properties included), so an object this format cannot carry
 * (an odd shape Jackson converted, a lone surrogate) means no cache entry, never a different one.
 */
final class PreparedCodec {

    /** Thrown for bytes that are not an encoding of this format: the entry is ignored. */
    static final class Malformed extends Exception {
        Malformed(String why) {
            super(why, null, false, false);
        }
    }

    private PreparedCodec() {}

    /** @return the encoding, or null when the dump does not survive the round trip exactly */
    static byte[] encode(RbacManifests.Dump dump) {
        byte[] bytes;
        try {
            bytes = new Writer().dump(dump);
        } catch (RuntimeException e) {
            return null; // e.g. a core object fabric8 cannot write back
        }
        try {
            return dump.equals(decode(bytes)) ? bytes : null;
        } catch (Malformed | RuntimeException e) {
            return null;
        }
    }

    /**
     * What the RBAC commands load ({@link RbacManifests.Loaded}): the object count, problems and
     * warnings as a dump without objects, then the built index ({@link PreparedIndex}).
     *
     * @return the encoding, or null when either part does not survive the round trip exactly
     */
    static byte[] encodeLoaded(RbacManifests.Loaded loaded) {
        byte[] head = encode(new RbacManifests.Dump(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), false, Optional.empty(), loaded.objects(), loaded.problems(), loaded.warnings()));
        byte[] index = PreparedIndex.encode(loaded.index());
        if (head == null || index == null) {
            return null;
        }
        return ByteBuffer.allocate(4 + head.length + index.length).putInt(head.length).put(head).put(index).array();
    }

    static RbacManifests.Loaded decodeLoaded(byte[] bytes, int from, int to) throws Malformed {
        if (to - from < 4) {
            throw new Malformed("truncated");
        }
        int head = ByteBuffer.wrap(bytes, from, 4).getInt();
        if (head < 0 || head > to - from - 4) {
            throw new Malformed("truncated");
        }
        RbacManifests.Dump dump = decode(bytes, from + 4, from + 4 + head);
        try {
            RbacIndex index = PreparedIndex.decode(bytes, from + 4 + head, to);
            return new RbacManifests.Loaded(index, dump.objects(), dump.problems(), dump.warnings());
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage());
        }
    }

    /**
     * What the findings command loads: whether the dump may be copied, its object count, problems
     * and warnings (as {@link #encodeLoaded}), the dump, then the findings without --aws-auth and
     * --access-entries as printed, when known ({@link #answer}), so such a call decodes no object at all.
     *
     * @return the encoding, or null when the dump does not survive the round trip exactly (an
     *     answer that does not is left out)
     */
    static byte[] encodeFindings(RbacManifests.Dump dump, FindingsAnswer plain, boolean copyable) {
        byte[] head = encode(new RbacManifests.Dump(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of(), false, Optional.empty(), dump.objects(), dump.problems(), dump.warnings()));
        byte[] objects = encode(dump);
        if (head == null || objects == null) {
            return null;
        }
        byte[] evaluation = plain == null ? new byte[0] : answer(plain);
        return ByteBuffer.allocate(1 + 8 + head.length + objects.length + evaluation.length).put((byte) (copyable ? 1 : 0))
                .putInt(head.length).put(head).putInt(objects.length).put(objects).put(evaluation).array();
    }

    /** {@code plain}: a kept answer answers (else the dump is decoded, and kept again with the answer). */
    static RbacManifests.Findings decodeFindings(byte[] bytes, int from, int to, boolean plain, PreparedCache.Entry entry)
            throws Malformed {
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        try {
            boolean copyable = in.get() == 1;
            int headLength = in.getInt();
            int headAt = in.position();
            if (headLength < 0 || headLength > to - headAt) {
                throw new Malformed("truncated");
            }
            RbacManifests.Dump head = decode(bytes, headAt, Math.addExact(headAt, headLength));
            in.position(headAt + headLength);
            int objectsLength = in.getInt();
            int objectsAt = in.position();
            int evaluationAt = Math.addExact(objectsAt, objectsLength);
            if (objectsLength < 0 || evaluationAt > to) {
                throw new Malformed("truncated");
            }
            if (plain && evaluationAt < to) {
                return new RbacManifests.Findings(head.objects(), head.problems(), head.warnings(), null,
                        answer(bytes, evaluationAt, to), null);
            }
            RbacManifests.Dump dump = decode(bytes, objectsAt, evaluationAt);
            return new RbacManifests.Findings(dump.objects(), dump.problems(), dump.warnings(), dump, null,
                    plain ? new RbacManifests.Keeper(entry, copyable) : null);
        } catch (RuntimeException e) { // past the end, a negative length
            throw new Malformed("truncated or malformed: " + e.getClass().getSimpleName());
        }
    }

    /** The answer's texts as UTF-8, each after its length; empty when they do not round-trip (a lone surrogate). */
    private static byte[] answer(FindingsAnswer answer) {
        List<String> texts = new ArrayList<>(List.of(answer.text(), answer.json()));
        texts.addAll(answer.notChecked());
        List<byte[]> encoded = texts.stream().map(text -> text.getBytes(StandardCharsets.UTF_8)).toList();
        ByteBuffer out = ByteBuffer.allocate(4 + encoded.stream().mapToInt(text -> 4 + text.length).sum())
                .putInt(answer.notChecked().size());
        encoded.forEach(text -> out.putInt(text.length).put(text));
        byte[] bytes = out.array();
        try {
            return answer.equals(answer(bytes, 0, bytes.length)) ? bytes : new byte[0];
        } catch (Malformed e) {
            return new byte[0];
        }
    }

    private static FindingsAnswer answer(byte[] bytes, int from, int to) throws Malformed {
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        try {
            int notes = in.getInt();
            if (notes < 0 || notes > to - from) {
                throw new Malformed("a size past the end");
            }
            String text = utf8(in);
            String json = utf8(in);
            List<String> notChecked = new ArrayList<>(notes);
            for (int i = 0; i < notes; i++) {
                notChecked.add(utf8(in));
            }
            if (in.hasRemaining()) {
                throw new Malformed("bytes after the end");
            }
            return new FindingsAnswer(text, json, List.copyOf(notChecked));
        } catch (RuntimeException e) { // past the end, a negative length
            throw new Malformed("truncated or malformed: " + e.getClass().getSimpleName());
        }
    }

    private static String utf8(ByteBuffer in) {
        int length = in.getInt();
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    static RbacManifests.Dump decode(byte[] bytes) throws Malformed {
        return decode(bytes, 0, bytes.length);
    }

    /** The dump encoded in bytes[from, to). */
    static RbacManifests.Dump decode(byte[] bytes, int from, int to) throws Malformed {
        try {
            return new Reader(bytes, from, to).dump();
        } catch (RuntimeException e) { // an index past the end, a null where a list must be, JSON fabric8 cannot read
            throw new Malformed("truncated or malformed: " + e.getClass().getSimpleName());
        }
    }

    private static final class Writer {
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> table = new ArrayList<>();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);

        byte[] dump(RbacManifests.Dump dump) {
            list(dump.roles(), this::role);
            list(dump.clusterRoles(), this::clusterRole);
            list(dump.roleBindings(), b -> binding(b.getApiVersion(), b.getKind(), b.getMetadata(), b.getRoleRef(),
                    b.getSubjects()));
            list(dump.clusterRoleBindings(), b -> binding(b.getApiVersion(), b.getKind(), b.getMetadata(), b.getRoleRef(),
                    b.getSubjects()));
            list(dump.namespaces(), this::json);
            list(dump.serviceAccounts(), this::json);
            list(dump.pods(), this::json);
            list(dump.secrets(), this::json);
            number(dump.secretsIncluded() ? 1 : 0);
            number(dump.awsAuth().isPresent() ? 1 : 0);
            dump.awsAuth().ifPresent(this::json);
            number(dump.objects());
            list(dump.problems(), this::problem);
            list(dump.warnings(), this::problem);
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 32 * table.size() + 16);
            Writer header = new Writer();
            header.number(table.size());
            for (String text : table) {
                byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                header.number(utf8.length);
                header.body.writeBytes(utf8);
            }
            out.writeBytes(header.body.toByteArray());
            out.writeBytes(body.toByteArray());
            return out.toByteArray();
        }

        private void role(Role role) {
            string(role.getApiVersion());
            string(role.getKind());
            metadata(role.getMetadata());
            list(role.getRules(), this::rule);
        }

        private void clusterRole(ClusterRole role) {
            string(role.getApiVersion());
            string(role.getKind());
            metadata(role.getMetadata());
            list(role.getRules(), this::rule);
            AggregationRule aggregation = role.getAggregationRule();
            number(aggregation == null ? 0 : 1);
            if (aggregation != null) {
                list(aggregation.getClusterRoleSelectors(), selector -> {
                    strings(selector.getMatchLabels());
                    list(selector.getMatchExpressions(), requirement -> {
                        string(requirement.getKey());
                        string(requirement.getOperator());
                        strings(requirement.getValues());
                    });
                });
            }
        }

        private void binding(String apiVersion, String kind, ObjectMeta metadata, RoleRef roleRef, List<Subject> subjects) {
            string(apiVersion);
            string(kind);
            metadata(metadata);
            number(roleRef == null ? 0 : 1);
            if (roleRef != null) {
                string(roleRef.getApiGroup());
                string(roleRef.getKind());
                string(roleRef.getName());
            }
            list(subjects, subject -> {
                string(subject.getApiGroup());
                string(subject.getKind());
                string(subject.getName());
                string(subject.getNamespace());
            });
        }

        private void metadata(ObjectMeta metadata) {
            number(metadata == null ? 0 : 1);
            if (metadata != null) {
                string(metadata.getName());
                string(metadata.getNamespace());
                strings(metadata.getLabels());
            }
        }

        private void rule(PolicyRule rule) {
            strings(rule.getApiGroups());
            strings(rule.getNonResourceURLs());
            strings(rule.getResourceNames());
            strings(rule.getResources());
            strings(rule.getVerbs());
        }

        private void problem(RbacManifests.Problem problem) {
            string(problem.file());
            number(problem.document() == null ? 0 : problem.document() + 1);
            string(problem.message());
        }

        private void json(Object object) {
            string(RbacManifests.Fabric8.SERIALIZATION.asJson(object));
        }

        /** A nullable list of nullable elements: its size + 1 (0 for null), then per element 0 (null) or 1 and the element. */
        private <T> void list(List<T> list, java.util.function.Consumer<T> element) {
            number(list == null ? 0 : list.size() + 1);
            if (list != null) {
                for (T item : list) {
                    number(item == null ? 0 : 1);
                    if (item != null) {
                        element.accept(item);
                    }
                }
            }
        }

        private void strings(List<String> list) {
            number(list == null ? 0 : list.size() + 1);
            if (list != null) {
                list.forEach(this::string);
            }
        }

        private void strings(Map<String, String> map) {
            number(map == null ? 0 : map.size() + 1);
            if (map != null) {
                map.forEach((key, value) -> {
                    string(key);
                    string(value);
                });
            }
        }

        /** A nullable string: 0 for null, else its table index + 1. */
        private void string(String text) {
            if (text == null) {
                number(0);
                return;
            }
            Integer id = ids.get(text);
            if (id == null) {
                id = table.size();
                ids.put(text, id);
                table.add(text);
            }
            number(id + 1);
        }

        /** A non-negative int, 7 bits a byte. */
        private void number(int value) {
            while ((value & ~0x7f) != 0) {
                body.write((value & 0x7f) | 0x80);
                value >>>= 7;
            }
            body.write(value);
        }
    }

    private static final class Reader {
        private final byte[] bytes;
        private final int end;
        private int at;
        private String[] table;

        Reader(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.at = from;
            this.end = to;
        }

        RbacManifests.Dump dump() throws Malformed {
            int size = count();
            table = new String[size];
            for (int i = 0; i < size; i++) {
                int length = count();
                if (length > end - at) {
                    throw new Malformed("a string past the end");
                }
                table[i] = new String(bytes, at, length, StandardCharsets.UTF_8);
                at += length;
            }
            List<Role> roles = list(this::role);
            List<ClusterRole> clusterRoles = list(this::clusterRole);
            List<RoleBinding> roleBindings = list(() -> {
                RoleBinding binding = new RoleBinding();
                binding.setApiVersion(string());
                binding.setKind(string());
                binding.setMetadata(metadata());
                binding.setRoleRef(roleRef());
                binding.setSubjects(list(this::subject));
                return binding;
            });
            List<ClusterRoleBinding> clusterRoleBindings = list(() -> {
                ClusterRoleBinding binding = new ClusterRoleBinding();
                binding.setApiVersion(string());
                binding.setKind(string());
                binding.setMetadata(metadata());
                binding.setRoleRef(roleRef());
                binding.setSubjects(list(this::subject));
                return binding;
            });
            List<Namespace> namespaces = list(() -> json(Namespace.class));
            List<ServiceAccount> serviceAccounts = list(() -> json(ServiceAccount.class));
            List<Pod> pods = list(() -> json(Pod.class));
            List<Secret> secrets = list(() -> json(Secret.class));
            boolean secretsIncluded = count() == 1;
            Optional<ConfigMap> awsAuth = count() == 1 ? Optional.of(json(ConfigMap.class)) : Optional.empty();
            int objects = count();
            List<RbacManifests.Problem> problems = list(this::problem);
            List<RbacManifests.Problem> warnings = list(this::problem);
            if (at != end) {
                throw new Malformed("bytes after the end");
            }
            // The lists as RbacManifests hands them over (List.copyOf: no nulls, unmodifiable).
            return new RbacManifests.Dump(List.copyOf(roles), List.copyOf(clusterRoles), List.copyOf(roleBindings),
                    List.copyOf(clusterRoleBindings), List.copyOf(namespaces), List.copyOf(serviceAccounts), List.copyOf(pods),
                    List.copyOf(secrets), secretsIncluded, awsAuth, objects, List.copyOf(problems), List.copyOf(warnings));
        }

        private Role role() throws Malformed {
            Role role = new Role();
            role.setApiVersion(string());
            role.setKind(string());
            role.setMetadata(metadata());
            role.setRules(list(this::rule));
            return role;
        }

        private ClusterRole clusterRole() throws Malformed {
            ClusterRole role = new ClusterRole();
            role.setApiVersion(string());
            role.setKind(string());
            role.setMetadata(metadata());
            role.setRules(list(this::rule));
            if (count() == 1) {
                AggregationRule aggregation = new AggregationRule();
                aggregation.setClusterRoleSelectors(list(() -> {
                    LabelSelector selector = new LabelSelector();
                    selector.setMatchLabels(map());
                    selector.setMatchExpressions(list(() -> {
                        LabelSelectorRequirement requirement = new LabelSelectorRequirement();
                        requirement.setKey(string());
                        requirement.setOperator(string());
                        requirement.setValues(strings());
                        return requirement;
                    }));
                    return selector;
                }));
                role.setAggregationRule(aggregation);
            }
            return role;
        }

        private ObjectMeta metadata() throws Malformed {
            if (count() == 0) {
                return null;
            }
            ObjectMeta metadata = new ObjectMeta();
            metadata.setName(string());
            metadata.setNamespace(string());
            metadata.setLabels(map());
            return metadata;
        }

        private RoleRef roleRef() throws Malformed {
            if (count() == 0) {
                return null;
            }
            RoleRef roleRef = new RoleRef();
            roleRef.setApiGroup(string());
            roleRef.setKind(string());
            roleRef.setName(string());
            return roleRef;
        }

        private Subject subject() throws Malformed {
            Subject subject = new Subject();
            subject.setApiGroup(string());
            subject.setKind(string());
            subject.setName(string());
            subject.setNamespace(string());
            return subject;
        }

        private PolicyRule rule() throws Malformed {
            PolicyRule rule = new PolicyRule();
            rule.setApiGroups(strings());
            rule.setNonResourceURLs(strings());
            rule.setResourceNames(strings());
            rule.setResources(strings());
            rule.setVerbs(strings());
            return rule;
        }

        private RbacManifests.Problem problem() throws Malformed {
            String file = string();
            int document = count();
            return new RbacManifests.Problem(file, document == 0 ? null : document - 1, string());
        }

        private <T> T json(Class<T> type) throws Malformed {
            String json = string();
            if (json == null) {
                throw new Malformed("a null object");
            }
            return RbacManifests.Fabric8.SERIALIZATION.unmarshal(json, type);
        }

        private interface Element<T> {
            T read() throws Malformed;
        }

        private <T> List<T> list(Element<T> element) throws Malformed {
            int size = count();
            if (size == 0) {
                return null;
            }
            List<T> list = new ArrayList<>(Math.min(size - 1, end - at));
            for (int i = 1; i < size; i++) {
                list.add(count() == 0 ? null : element.read());
            }
            return list;
        }

        private List<String> strings() throws Malformed {
            int size = count();
            if (size == 0) {
                return null;
            }
            List<String> list = new ArrayList<>(Math.min(size - 1, end - at));
            for (int i = 1; i < size; i++) {
                list.add(string());
            }
            return list;
        }

        private Map<String, String> map() throws Malformed {
            int size = count();
            if (size == 0) {
                return null;
            }
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 1; i < size; i++) {
                map.put(string(), string());
            }
            return map;
        }

        private String string() throws Malformed {
            int id = count();
            if (id > table.length) {
                throw new Malformed("a string that is not in the table");
            }
            return id == 0 ? null : table[id - 1];
        }

        private int count() throws Malformed {
            int value = 0;
            for (int shift = 0; shift < 32; shift += 7) {
                if (at >= end) {
                    throw new Malformed("truncated");
                }
                byte b = bytes[at++];
                value |= (b & 0x7f) << shift;
                if (b >= 0) {
                    if (value < 0) {
                        throw new Malformed("a negative number");
                    }
                    return value;
                }
            }
            throw new Malformed("a number too long");
        }
    }
}
