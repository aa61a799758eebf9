package io.eksaccess.console.awsauth.goyaml;

/**
 * Input quoted back in an error message: one line and at most {@link #MAX_CHARS} characters, so a
 * 1 MB value cannot turn one error line into a megabyte of output (in the CLI, a page or a log).
 */
public final class Echo {

    public static final int MAX_CHARS = 200;

    private Echo() {}

    /** The text on one line (line breaks and tabs as spaces), cut at {@link #MAX_CHARS} with a note of its length. */
    public static String of(Object input) {
        String text = String.valueOf(input);
        int cut = Math.min(text.length(), MAX_CHARS);
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        StringBuilder out = new StringBuilder(cut + 40);
        for (int i = 0; i < cut; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (cut < text.length()) {
            out.append("… (").append(text.length()).append(" characters)");
        }
        return out.toString();
    }

    /** A whole message, e.g. a library's, that may quote input: one line, cut a little after {@link #MAX_CHARS}. */
    public static String message(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.replaceAll("\\s+", " ").strip();
        int max = MAX_CHARS + 100;
        if (line.length() <= max) {
            return line;
        }
        int cut = Character.isHighSurrogate(line.charAt(max - 1)) ? max - 1 : max;
        return line.substring(0, cut) + "… (cut)";
    }
}
