package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.GoStrings;
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
        final List<String> typeErrors = new ArrayList<>();

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
            fields.typeErrors.add("the entry is " + describe(element) + ", not a mapping");
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
            fields.typeErrors.add(field + " is " + describe(value) + ", not a string");
        }
    }

    private static void decodeGroups(Fields fields, Object value) {
        if (value == null) {
            fields.groups = new StringSlice();
            return;
        }
        if (!(value instanceof List<?> list)) {
            fields.typeErrors.add("groups is " + describe(value) + ", not a list of strings");
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
                fields.typeErrors.add("groups[" + i + "] is " + describe(element) + ", not a string");
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
            fields.typeErrors.add("sso is " + describe(value) + ", not a mapping");
            return;
        }
        for (Map.Entry<?, ?> member : object.entrySet()) {
            String field = fieldFor((String) member.getKey(), SSO_FIELDS);
            if (field != null) {
                Object v = member.getValue();
                if (v instanceof String s) {
                    fields.sso.strings.put(field, s);
                } else if (v != null) {
                    fields.typeErrors.add("sso." + field + " is " + describe(v) + ", not a string");
                }
            }
        }
    }

    static String describe(Object value) {
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Boolean b) {
            return "the boolean " + b + " (YAML 1.1 reads yes/no/on/off/y/n as booleans; quote it)";
        }
        if (value instanceof Number) {
            return "a number (quote it)";
        }
        return "\"" + io.eksaccess.console.awsauth.goyaml.Echo.of(value) + "\"";
    }
}
