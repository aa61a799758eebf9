package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Templates open and close dialogs with the one spelling console.js listens for. */
class DialogAttributesTest {

    private static final Path RESOURCES = Path.of("..", "frontend", "src", "main", "resources");
    private static final Pattern DIALOG_ATTRIBUTE = Pattern.compile("\\b(data-[a-z-]*dialog)\\b");

    @Test
    void templatesUseTheOneDialogSpellingThatConsoleJsHandles() throws IOException {
        Set<String> spellings = new TreeSet<>();
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("templates"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".html")).toList()) {
                Matcher matcher = DIALOG_ATTRIBUTE.matcher(Files.readString(file));
                while (matcher.find()) {
                    spellings.add(matcher.group(1));
                }
            }
        }
        assertThat(spellings).containsExactlyInAnyOrder("data-opens-dialog", "data-closes-dialog");
        String script = Files.readString(RESOURCES.resolve("static/js/console.js"));
        Set<String> handled = new TreeSet<>();
        Matcher matcher = DIALOG_ATTRIBUTE.matcher(script);
        while (matcher.find()) {
            handled.add(matcher.group(1));
        }
        assertThat(handled).containsExactlyInAnyOrder("data-opens-dialog", "data-closes-dialog");
    }
}
