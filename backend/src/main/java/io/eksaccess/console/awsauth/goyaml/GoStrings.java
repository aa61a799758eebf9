package io.eksaccess.console.awsauth.goyaml;

/** Go's string functions where Java's differ: unicode.IsSpace, strings.ToLower, EqualFold, JSON key folding. */
public final class GoStrings {

    private GoStrings() {}

    /** unicode.IsSpace (not Character.isWhitespace, which misses U+00A0 and counts U+001C..U+001F). */
    public static boolean isSpace(int c) {
        return switch (c) {
            case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> c >= 0x2000 && c <= 0x200A;
        };
    }

    /** strings.TrimSpace. */
    public static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    /** strings.ToLower: simple per-code-point mapping (Java's String.toLowerCase maps İ to two chars). */
    public static String toLower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.appendCodePoint(Character.toLowerCase(c)));
        return out.toString();
    }

    /** strings.EqualFold: equal under simple Unicode case folding. */
    public static boolean equalFold(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb && fold(ca) != fold(cb)) {
                return false;
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return i == a.length() && j == b.length();
    }

    private static int fold(int c) {
        int lower = Character.toLowerCase(Character.toUpperCase(c));
        return switch (lower) {
            case 0x17F -> 's'; // ſ folds with s
            case 0x212A -> 'k'; // Kelvin sign folds with k
            default -> lower;
        };
    }

    /**
     * encoding/json's key matching for an ASCII field name: exact, else equal after folding, where
     * ſ (U+017F) counts as "s" and the Kelvin sign (U+212A) as "k".
     */
    public static boolean jsonKeyMatches(String key, String fieldName) {
        return key.equals(fieldName) || equalFold(key, fieldName);
    }

    /** apimachinery's IsJSONBuffer: the first non-space character is '{' (such text skips YAML). */
    public static boolean looksLikeJsonObject(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (!isSpace(c)) {
                return c == '{';
            }
            i += Character.charCount(c);
        }
        return false;
    }
}
