package io.eksaccess.console.awsauth.goyaml;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * sigs.k8s.io/yaml's YAMLToJSON after go-yaml: mapping keys become strings (a null key is an
 * error), and {@code json.Marshal} refuses NaN and infinities anywhere in the document, even
 * under keys nobody reads. Objects come out as sorted maps because {@code json.Marshal} sorts
 * keys, and that order decides which of two case-variants of a key wins when decoding.
 */
public final class JsonRoundTrip {

    private JsonRoundTrip() {}

    /** @return null, Boolean, Number, String, {@code List<Object>} or {@code TreeMap<String, Object>} */
    public static Object toJsonValue(Object goValue) throws GoYamlException {
        if (goValue instanceof Map<?, ?> map) {
            TreeMap<String, Object> object = new TreeMap<>(JsonRoundTrip::compareUtf8);
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                object.put(keyString(entry.getKey()), toJsonValue(entry.getValue()));
            }
            return object;
        }
        if (goValue instanceof List<?> list) {
            List<Object> array = new ArrayList<>(list.size());
            for (Object element : list) {
                array.add(toJsonValue(element));
            }
            return array;
        }
        if (goValue instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw new GoYamlException("json: unsupported value: " + (d.isNaN() ? "NaN" : d > 0 ? "+Inf" : "-Inf")
                    + " (.nan and .inf cannot be converted to JSON)");
        }
        return goValue;
    }

    private static String keyString(Object key) throws GoYamlException {
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof Long || key instanceof BigInteger) {
            return key.toString();
        }
        if (key instanceof Boolean b) {
            return b.toString();
        }
        if (key instanceof Double d) {
            if (d.isNaN()) {
                return ".nan";
            }
            if (d.isInfinite()) {
                return d > 0 ? ".inf" : "-.inf";
            }
            return Float.toString(d.floatValue()); // only needs to be a non-field name
        }
        throw new GoYamlException("unsupported map key of type: " + key);
    }

    /** Go compares strings byte by byte in UTF-8. */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb); // code point order equals UTF-8 byte order
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
