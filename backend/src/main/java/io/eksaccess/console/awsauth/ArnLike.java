package io.eksaccess.console.awsauth;

import java.util.regex.Pattern;

/** The authenticator's {@code arn.ArnLike}: section-wise glob matching, {@code *} and {@code ?} as wildcards. */
final class ArnLike {

    private ArnLike() {}

    static boolean matches(String arn, String pattern) {
        if (!arn.startsWith("arn:") || !pattern.startsWith("arn:")) {
            return false;
        }
        String[] arnSections = arn.split(":", 6);
        String[] patternSections = pattern.split(":", 6);
        if (arnSections.length != 6 || patternSections.length != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!glob(patternSections[i]).matcher(arnSections[i]).matches()) {
                return false;
            }
        }
        return true;
    }

    private static Pattern glob(String section) {
        StringBuilder regex = new StringBuilder();
        for (char c : section.toCharArray()) {
            // Go's quoteMeta variant: "*" becomes ".*" and "?" becomes ".?" (zero or one character).
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append(".?");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
