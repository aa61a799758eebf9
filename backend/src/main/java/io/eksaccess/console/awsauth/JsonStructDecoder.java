package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.GoStrings;
import io.eksaccess.console.system.Sentence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * encoding/json's {@code Unmarshal} into the authenticator's RoleMapping / UserMapping structs, with
 * its lenient edges: keys match fields case-insensitively (exact match first), later keys in sorted
 * order overwrite earlier ones, a value of the wrong type is an error but leaves the field as it
 * was (and decoding goes on), {@code null} leaves a string as it was, and a list decoded into an
 * already filled list reuses the old elements where the new ones are null or of the wrong type.
 */
final class JsonStructDecoder {

    /** One decoded element of a section's list, before validation. */
    static final class Fields {
        final Map<String, String> strings = new java.util.HashMap<>();
        StringSlice groups = new StringSlice();
        Fields sso; // non-null when the element had an "sso" member (RoleMapping.SSO != nil)
        final List<Sentence> typeErrors = new ArrayList<>();

        String get(String name) {
            return strings.getOrDefault(name, "");
        }
    }

    /** A Go []string with the backing array that encoding/json may reuse. */
    static final class StringSlice {
        private List<String> backing = new ArrayList<>();
        private int length;

        List<String> values() {
            return List.copyOf(backing.subList(0, length));
        }
    }

    private static final List<String> ROLE_FIELDS = List.of("rolearn", "sso", "username", "groups", "userid");
    private static final List<String> USER_FIELDS = List.of("userarn", "username", "groups", "userid");
    private static final List<String> SSO_FIELDS = List.of("permissionSetName", "accountID", "partition");

    private JsonStructDecoder() {}

    static Fields decodeRole(Object element) {
        return decodeElement(element, ROLE_FIELDS, "RoleMapping");
    }

    static Fields decodeUser(Object element) {
        return decodeElement(element, USER_FIELDS, "UserMapping");
    }

    private static Fields decodeElement(Object element, List<String> fieldNames, String type) {
        Fields fields = new Fields();
        if (element == null) {
            return fields; // null decodes to the zero struct without an error
        }
        if (!(element instanceof Map<?, ?> object)) {
            fields.typeErrors.add(Sentence.of("text.aws-auth-read.entry-not-mapping", describe(element)));
            return fields;
        }
        for (Map.Entry<?, ?> member : object.entrySet()) {
            String field = fieldFor((String) member.getKey(), fieldNames);
            if (field == null) {
                continue; // unknown keys are ignored
            }
            Object value = member.getValue();
            switch (field) {
                case "groups" -> decodeGroups(fields, value);
                case "sso" -> decodeSso(fields, value);
                default -> decodeString(fields, field, value, type);
            }
        }
        return fields;
    }

    private static String fieldFor(String key, List<String> fieldNames) {
        for (String name : fieldNames) {
            if (GoStrings.jsonKeyMatches(key, name)) {
                return name;
            }
        }
        return null;
    }

    private static void decodeString(Fields fields, String field, Object value, String type) {
        if (value instanceof String s) {
            fields.strings.put(field, s);
        } else if (value != null) {
            fields.typeErrors.add(Sentence.of("text.aws-auth-read.field-not-string", field, describe(value)));
        }
    }

    private static void decodeGroups(Fields fields, Object value) {
        if (value == null) {
            fields.groups = new StringSlice();
            return;
        }
        if (!(value instanceof List<?> list)) {
            fields.typeErrors.add(Sentence.of("text.aws-auth-read.groups-not-list", describe(value)));
            return;
        }
        StringSlice slice = fields.groups;
        for (int i = 0; i < list.size(); i++) {
            while (slice.backing.size() <= i) {
                slice.backing.add("");
            }
            Object element = list.get(i);
            if (element instanceof String s) {
                slice.backing.set(i, s);
            } else if (element != null) {
                fields.typeErrors.add(Sentence.of("text.aws-auth-read.group-not-string", i, describe(element)));
            }
        }
        slice.length = list.size();
        if (list.isEmpty()) {
            fields.groups = new StringSlice();
        }
    }

    private static void decodeSso(Fields fields, Object value) {
        if (value == null) {
            fields.sso = null;
            return;
        }
        if (fields.sso == null) {
            fields.sso = new Fields(); // encoding/json allocates the pointer before it checks the type
        }
        if (!(value instanceof Map<?, ?> object)) {
            fields.typeErrors.add(Sentence.of("text.aws-auth-read.sso-not-mapping", describe(value)));
            return;
        }
        for (Map.Entry<?, ?> member : object.entrySet()) {
            String field = fieldFor((String) member.getKey(), SSO_FIELDS);
            if (field != null) {
                Object v = member.getValue();
                if (v instanceof String s) {
                    fields.sso.strings.put(field, s);
                } else if (v != null) {
                    fields.typeErrors.add(Sentence.of("text.aws-auth-read.field-not-string", "sso." + field, describe(v)));
                }
            }
        }
    }

    /** What a YAML value is, as a type error names it ("a list", "a number (quote it)"). */
    static Sentence describe(Object value) {
        if (value instanceof Map) {
            return Sentence.of("text.aws-auth-read.value.mapping");
        }
        if (value instanceof List) {
            return Sentence.of("text.aws-auth-read.value.list");
        }
        if (value instanceof Boolean b) {
            return Sentence.of("text.aws-auth-read.value.boolean", String.valueOf(b));
        }
        if (value instanceof Number) {
            return Sentence.of("text.aws-auth-read.value.number");
        }
        return Sentence.of("text.aws-auth-read.value.text", io.eksaccess.console.awsauth.goyaml.Echo.of(value));
    }
}
