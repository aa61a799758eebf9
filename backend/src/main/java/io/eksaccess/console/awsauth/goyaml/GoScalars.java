package io.eksaccess.console.awsauth.goyaml;

import java.math.BigInteger;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;

/**
 * go-yaml v2's scalar resolution ({@code resolve.go}): which text is a null, a bool, an int, a
 * float or a string. YAML 1.1 as go-yaml reads it, which is not SnakeYAML's reading: {@code y},
 * {@code n}, {@code on} and {@code off} are bools, {@code 0b1} and {@code 0o7} are ints, {@code 08}
 * is a float, {@code 1e400} is a string, and timestamps stay strings.
 */
public final class GoScalars {

    static final String STR = "tag:yaml.org,2002:str";
    static final String BOOL = "tag:yaml.org,2002:bool";
    static final String INT = "tag:yaml.org,2002:int";
    static final String FLOAT = "tag:yaml.org,2002:float";
    static final String NULL = "tag:yaml.org,2002:null";
    static final String TIMESTAMP = "tag:yaml.org,2002:timestamp";
    static final String BINARY = "tag:yaml.org,2002:binary";
    static final String MERGE = "tag:yaml.org,2002:merge";

    /** The resolved value: null, Boolean, Long, BigInteger (above int64), Double or String. */
    public record Resolved(String tag, Object value) {}

    private static final Map<String, Resolved> WORDS = Map.ofEntries(
            word("y", BOOL, true), word("Y", BOOL, true), word("yes", BOOL, true), word("Yes", BOOL, true),
            word("YES", BOOL, true), word("true", BOOL, true), word("True", BOOL, true), word("TRUE", BOOL, true),
            word("on", BOOL, true), word("On", BOOL, true), word("ON", BOOL, true),
            word("n", BOOL, false), word("N", BOOL, false), word("no", BOOL, false), word("No", BOOL, false),
            word("NO", BOOL, false), word("false", BOOL, false), word("False", BOOL, false),
            word("FALSE", BOOL, false), word("off", BOOL, false), word("Off", BOOL, false), word("OFF", BOOL, false),
            Map.entry("", new Resolved(NULL, null)), Map.entry("~", new Resolved(NULL, null)),
            Map.entry("null", new Resolved(NULL, null)), Map.entry("Null", new Resolved(NULL, null)),
            Map.entry("NULL", new Resolved(NULL, null)),
            word(".nan", FLOAT, Double.NaN), word(".NaN", FLOAT, Double.NaN), word(".NAN", FLOAT, Double.NaN),
            word(".inf", FLOAT, Double.POSITIVE_INFINITY), word(".Inf", FLOAT, Double.POSITIVE_INFINITY),
            word(".INF", FLOAT, Double.POSITIVE_INFINITY), word("+.inf", FLOAT, Double.POSITIVE_INFINITY),
            word("+.Inf", FLOAT, Double.POSITIVE_INFINITY), word("+.INF", FLOAT, Double.POSITIVE_INFINITY),
            word("-.inf", FLOAT, Double.NEGATIVE_INFINITY), word("-.Inf", FLOAT, Double.NEGATIVE_INFINITY),
            word("-.INF", FLOAT, Double.NEGATIVE_INFINITY), word("<<", MERGE, "<<"));

    private static final Pattern YAML_STYLE_FLOAT =
            Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern DOT_FLOAT = Pattern.compile("\\.[0-9]+([eE][-+]?[0-9]+)?");
    private static final Pattern TIMESTAMP_LIKE = Pattern.compile(
            "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\\.[0-9]{1,9})?"
                    + "(Z|[+-][0-9]{2}:[0-9]{2})?)?");

    private GoScalars() {}

    private static Map.Entry<String, Resolved> word(String text, String tag, Object value) {
        return Map.entry(text, new Resolved(tag, value));
    }

    /** How go-yaml reads a plain (unquoted, untagged) scalar. */
    public static Resolved resolvePlain(String text) {
        try {
            return resolve("", text);
        } catch (GoYamlException e) {
            throw new IllegalStateException(e); // an untagged scalar always resolves
        }
    }

    /**
     * go-yaml's {@code resolve(tag, in)}: {@code tag} is "" for a plain scalar or the explicit tag.
     * A value an explicit tag cannot hold fails like go-yaml ("cannot decode !!str `x` as a !!int").
     */
    static Resolved resolve(String tag, String in) throws GoYamlException {
        if (!tag.isEmpty() && !isResolvableTag(tag)) {
            return new Resolved(tag, in);
        }
        Resolved out = resolveText(tag, in);
        if (tag.isEmpty() || tag.equals(out.tag()) || tag.equals(STR) || tag.equals(BINARY)) {
            return out;
        }
        if (tag.equals(FLOAT) && out.tag().equals(INT)) {
            return new Resolved(FLOAT, ((Number) out.value()).doubleValue());
        }
        throw new GoYamlException("cannot decode " + shortTag(out.tag()) + " `" + Echo.of(in) + "` as a " + shortTag(tag));
    }

    private static Resolved resolveText(String tag, String in) {
        char hint = in.isEmpty() ? 'N' : hint(in.charAt(0));
        if (hint == 0 || tag.equals(STR) || tag.equals(BINARY)) {
            return new Resolved(STR, in);
        }
        Resolved word = WORDS.get(in);
        if (word != null) {
            return word;
        }
        switch (hint) {
            case '.' -> {
                if (DOT_FLOAT.matcher(in).matches()) {
                    Double value = finite(in);
                    if (value != null) {
                        return new Resolved(FLOAT, value);
                    }
                }
            }
            case 'D', 'S' -> {
                if ((tag.isEmpty() || tag.equals(TIMESTAMP)) && TIMESTAMP_LIKE.matcher(in).matches()) {
                    return new Resolved(TIMESTAMP, in);
                }
                String plain = in.replace("_", "");
                Object integer = parseGoInteger(plain);
                if (integer != null) {
                    return new Resolved(INT, integer);
                }
                if (YAML_STYLE_FLOAT.matcher(plain).matches()) {
                    Double value = finite(plain);
                    if (value != null) {
                        return new Resolved(FLOAT, value);
                    }
                }
                if (plain.startsWith("0b") || plain.startsWith("-0b")) {
                    // strconv.ParseInt(rest, 2, 64): the rest may carry a sign of its own
                    String rest = plain.startsWith("-") ? "-" + plain.substring(3) : plain.substring(2);
                    Object fitted = parseBinary(rest);
                    if (fitted != null) {
                        return new Resolved(INT, fitted);
                    }
                }
            }
            default -> { }
        }
        return new Resolved(STR, in);
    }

    private static char hint(char c) {
        if (c == '+' || c == '-') {
            return 'S';
        }
        if (c >= '0' && c <= '9') {
            return 'D';
        }
        if ("yYnNtTfFoO~".indexOf(c) >= 0) {
            return 'M';
        }
        return c == '.' ? '.' : 0;
    }

    /** strconv.ParseInt(s, 0, 64), then strconv.ParseUint(s, 0, 64); null when both fail. */
    private static Object parseGoInteger(String s) {
        String digits = s;
        boolean negative = false;
        boolean signed = false;
        if (!digits.isEmpty() && (digits.charAt(0) == '+' || digits.charAt(0) == '-')) {
            negative = digits.charAt(0) == '-';
            signed = true;
            digits = digits.substring(1);
        }
        int radix = 10;
        if (digits.length() >= 2 && digits.charAt(0) == '0') {
            char p = Character.toLowerCase(digits.charAt(1));
            if (p == 'x' || p == 'o' || p == 'b') {
                radix = p == 'x' ? 16 : p == 'o' ? 8 : 2;
                digits = digits.substring(2);
            } else {
                radix = 8;
                digits = digits.substring(1);
            }
        }
        final int base = radix;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c < 128 && Character.digit(c, base) >= 0)) {
            return null;
        }
        if (tooLongFor64Bits(digits, radix)) {
            return null; // out of range, as strconv says; and BigInteger would take quadratic time on a huge one
        }
        BigInteger value = new BigInteger(digits, radix);
        if (negative) {
            value = value.negate();
        }
        if (value.bitLength() < 64) {
            return value.longValue();
        }
        if (!signed && value.signum() > 0 && value.bitLength() <= 64) {
            return value; // uint64
        }
        return null;
    }

    /** More significant digits than any 64-bit value has in this radix. */
    private static boolean tooLongFor64Bits(String digits, int radix) {
        int first = 0;
        while (first < digits.length() && digits.charAt(first) == '0') {
            first++;
        }
        int max = switch (radix) {
            case 2 -> 64;
            case 8 -> 22;
            case 16 -> 16;
            default -> 20;
        };
        return digits.length() - first > max;
    }

    private static Object parseBinary(String text) {
        String digits = text;
        boolean negative = false;
        if (digits.startsWith("+") || digits.startsWith("-")) {
            negative = digits.startsWith("-");
            digits = digits.substring(1);
        }
        if (digits.startsWith("+") || digits.startsWith("-")) {
            return null;
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c == '0' || c == '1')) {
            return null;
        }
        if (tooLongFor64Bits(digits, 2)) {
            return null;
        }
        BigInteger value = new BigInteger(digits, 2);
        value = negative ? value.negate() : value;
        return value.bitLength() < 64 ? value.longValue() : null;
    }

    /** strconv.ParseFloat: out-of-range values are an error, so go-yaml keeps the text. */
    private static Double finite(String text) {
        double value = Double.parseDouble(text);
        return Double.isInfinite(value) ? null : value;
    }

    private static boolean isResolvableTag(String tag) {
        return tag.equals(STR) || tag.equals(BOOL) || tag.equals(INT) || tag.equals(FLOAT)
                || tag.equals(NULL) || tag.equals(TIMESTAMP);
    }

    static String shortTag(String tag) {
        return tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring("tag:yaml.org,2002:".length()) : tag;
    }

    /** go-yaml's !!binary: standard base64 with its padding (Java's decoder also takes it without), line breaks ignored. */
    static String decodeBinary(String text) throws GoYamlException {
        String base64 = text.replace("\n", "").replace("\r", "");
        if (base64.length() % 4 != 0) {
            throw new GoYamlException("!!binary value contains invalid base64 data");
        }
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new GoYamlException("!!binary value contains invalid base64 data");
        }
    }
}
