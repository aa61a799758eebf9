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

/**
 * Every {@code #{key}} a template uses exists in messages.properties (dynamic keys are checked by prefix),
 * and so does every key the Java code refuses with ({@code ConsoleException}), flashes ({@code FlashMessages})
 * or resolves itself.
 */
class MessagesTest {

    private static final Path TEMPLATES = Path.of("..", "frontend", "src", "main", "resources", "templates");
    private static final Path JAVA = Path.of("src", "main", "java");
    private static final Pattern KEY = Pattern.compile("#\\{'?([A-Za-z0-9_.]+)'?");
    /** A refusal's key: the first argument of a ConsoleException factory, up to its first literal. */
    private static final Pattern REFUSAL = Pattern.compile(
            "ConsoleException\\.(?:invalid|forbidden|notFound|conflict|unavailable)\\(([^\";]*)(\")?");
    /** A literal that names a message key of the Java side (refusals, constraint messages "{key}", texts, flashes). */
    private static final Pattern JAVA_KEY = Pattern.compile("\"\\{?((?:error|text|flash)\\.[A-Za-z0-9_.-]+)}?\"");
    /** A notice's key: the second argument of a FlashMessages call, a flash.* literal (or a ?: of them). */
    private static final Pattern FLASH = Pattern.compile("flashes\\.(?:success|failure)\\([^,;]+,\\s*([^\";]*)(\"flash\\.)?");

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

    @Test
    void everyMessageKeyTheJavaCodeUsesExists() throws IOException {
        Properties messages = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/messages.properties")) {
            messages.load(in);
        }
        Set<String> missing = new TreeSet<>();
        Set<String> dynamic = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.walk(JAVA)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                Matcher refusal = REFUSAL.matcher(code);
                while (refusal.find()) {
                    // A key built at run time could not be checked here: name it as a literal (or a ?: of literals).
                    boolean literal = refusal.group(2) != null
                            && (refusal.group(1).isBlank() || refusal.group(1).strip().endsWith("?"));
                    if (!literal) {
                        dynamic.add(JAVA.relativize(file) + ": " + refusal.group(1).strip());
                    }
                }
                Matcher flash = FLASH.matcher(code);
                while (flash.find()) {
                    boolean literal = flash.group(2) != null
                            && (flash.group(1).isBlank() || flash.group(1).strip().endsWith("?"));
                    if (!literal) {
                        dynamic.add(JAVA.relativize(file) + ": " + flash.group(1).strip());
                    }
                }
                Matcher key = JAVA_KEY.matcher(code);
                while (key.find()) {
                    used.add(key.group(1));
                    if (!messages.containsKey(key.group(1))) {
                        missing.add(JAVA.relativize(file) + ": " + key.group(1));
                    }
                }
            }
        }
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".html")).toList()) {
                Matcher key = KEY.matcher(Files.readString(file));
                while (key.find()) {
                    used.add(key.group(1));
                }
            }
        }
        assertThat(missing).as("message keys used in Java but missing from messages.properties").isEmpty();
        assertThat(dynamic).as("ConsoleException and FlashMessages keys that are not flash.*/error.* string literals")
                .isEmpty();
        Set<String> unused = new TreeSet<>(messages.stringPropertyNames().stream()
                .filter(k -> k.startsWith("error.") || k.startsWith("text.") || k.startsWith("flash."))
                .filter(k -> !used.contains(k)).toList());
        assertThat(unused).as("error./text./flash. keys in messages.properties that no Java code or template uses").isEmpty();
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

    /**
     * A message that is only "{0}" passes English built in Java through unread by messages.properties;
     * text.unkeyed is the one named place, for text from outside the console (an exception's message).
     */
    @Test
    void noMessageOnlyPassesTextThrough() throws IOException {
        Properties messages = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/messages.properties")) {
            messages.load(in);
        }
        Set<String> passThrough = new TreeSet<>();
        for (String key : messages.stringPropertyNames()) {
            if (messages.getProperty(key).strip().matches("\\{0}") && !key.equals("text.unkeyed")) {
                passThrough.add(key);
            }
        }
        assertThat(passThrough).as("messages that are only {0}: give the producer a key of its own").isEmpty();
    }

    /**
     * A key defined twice is silently the later line (java.util.Properties), so one of two texts people
     * wrote is never shown; merges of messages.properties (kept by union) make this easy to miss.
     */
    @Test
    void everyKeyIsDefinedOnce() throws IOException {
        Path file = Path.of("..", "frontend", "src", "main", "resources", "messages.properties");
        Set<String> seen = new TreeSet<>();
        Set<String> twice = new TreeSet<>();
        String previous = "";
        for (String line : Files.readAllLines(file)) {
            boolean continuation = previous.endsWith("\\");
            previous = line;
            String trimmed = line.strip();
            if (continuation || trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")
                    || !trimmed.contains("=")) {
                continue;
            }
            String key = trimmed.substring(0, trimmed.indexOf('=')).strip();
            if (!seen.add(key)) {
                twice.add(key);
            }
        }
        assertThat(twice).as("keys defined more than once in messages.properties").isEmpty();
    }
}
