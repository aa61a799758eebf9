package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every {@code #{key}} a template uses exists in messages.properties (dynamic keys are checked by prefix). */
class MessagesTest {

    private static final Path TEMPLATES = Path.of("..", "frontend", "src", "main", "resources", "templates");
    private static final Pattern KEY = Pattern.compile("#\\{'?([A-Za-z0-9_.]+)'?");

    @Test
    void everyMessageKeyUsedByATemplateExists() throws IOException {
        Properties messages = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/messages.properties")) {
            messages.load(in);
        }
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".html")).toList()) {
                Matcher matcher = KEY.matcher(Files.readString(file));
                while (matcher.find()) {
                    String key = matcher.group(1);
                    boolean prefix = key.endsWith(".");
                    boolean found = prefix
                            ? messages.stringPropertyNames().stream().anyMatch(k -> k.startsWith(key))
                            : messages.containsKey(key);
                    if (!found) {
                        missing.add(TEMPLATES.relativize(file) + ": " + key);
                    }
                }
            }
        }
        assertThat(missing).as("message keys used in templates but missing from messages.properties").isEmpty();
    }

    /**
     * In a message with arguments a lone ' starts a quoted section and swallows the rest ("person's {0}");
     * a quoted run of braces ('{{') is the one deliberate quote, for a literal brace.
     */
    @Test
    void messagesWithArgumentsDoubleTheirApostrophes() throws IOException {
        Properties messages = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/messages.properties")) {
            messages.load(in);
        }
        Set<String> broken = new TreeSet<>();
        for (String key : messages.stringPropertyNames()) {
            String message = messages.getProperty(key);
            if (message.matches("(?s).*\\{\\d.*") && message.replace("''", "").replaceAll("'[{}]+'", "").contains("'")) {
                broken.add(key);
            }
        }
        assertThat(broken).as("messages with {n} arguments and a single apostrophe").isEmpty();
    }
}
