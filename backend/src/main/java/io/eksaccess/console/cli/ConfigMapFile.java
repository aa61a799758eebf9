package io.eksaccess.console.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import io.eksaccess.console.awsauth.goyaml.Echo;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a ConfigMap as {@code kubectl get configmap … -o yaml} or {@code -o json} prints it, from a
 * file or stdin ("-"), and returns its {@code data}. Anything else is refused with one line that
 * says why: unreadable, too large, binary, not YAML/JSON, not a ConfigMap.
 */
final class ConfigMapFile {

    /** A ConfigMap holds at most 1 MiB; kubectl's escaping can double that. */
    static final int MAX_BYTES = 3 * 1024 * 1024;

    static final class UnusableInputException extends Exception {
        UnusableInputException(String message) {
            super(message);
        }
    }

    /** Duplicate keys are refused, as in YAML below: tools disagree on which one counts. */
    private static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private ConfigMapFile() {}

    static Map<String, String> readData(String file, InputStream stdin) throws UnusableInputException {
        String name = file.equals("-") ? "stdin" : file;
        byte[] bytes = readLimited(file, stdin, name);
        String text = decodeText(bytes, name);
        Object document = text.stripLeading().startsWith("{") ? parseJson(text, name) : parseYaml(text, name);
        if (!(document instanceof Map<?, ?> object) || !"ConfigMap".equals(object.get("kind"))) {
            throw new UnusableInputException(name + " is not a ConfigMap (expected kind: ConfigMap, as printed by"
                    + " kubectl get configmap aws-auth -n kube-system -o yaml)");
        }
        Object data = object.get("data");
        Map<String, String> result = new LinkedHashMap<>();
        if (data == null) {
            return result;
        }
        if (!(data instanceof Map<?, ?> entries)) {
            throw new UnusableInputException(name + ": the ConfigMap's data is not a mapping");
        }
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            if (!(entry.getKey() instanceof String key) || !(entry.getValue() instanceof String value)) {
                throw new UnusableInputException(name + ": data." + Echo.of(entry.getKey())
                        + " is not a string (ConfigMap data values are strings; quote it)");
            }
            result.put(key, value);
        }
        return result;
    }

    private static byte[] readLimited(String file, InputStream stdin, String name) throws UnusableInputException {
        try (InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file))) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new UnusableInputException(name + " is larger than " + (MAX_BYTES / (1024 * 1024))
                        + " MiB; a ConfigMap holds at most 1 MiB");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new UnusableInputException("cannot read " + name + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new UnusableInputException("cannot read " + Echo.of(name) + ": " + Echo.message(e.getMessage()));
        }
    }

    private static String decodeText(byte[] bytes, String name) throws UnusableInputException {
        for (byte b : bytes) {
            if (b == 0) {
                throw new UnusableInputException(name + " is binary, not a YAML or JSON ConfigMap");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UnusableInputException(name + " is not UTF-8 text (binary?), not a YAML or JSON ConfigMap");
        }
    }

    private static Object parseJson(String text, String name) throws UnusableInputException {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JacksonException e) {
            String message = Echo.message(e.getOriginalMessage()).replace("Duplicate Object property", "duplicate key");
            throw new UnusableInputException(name + " is not valid JSON: " + message
                    + (message.startsWith("duplicate key") ? " (which one counts is ambiguous; keep one)" : ""));
        }
    }

    private static Object parseYaml(String text, String name) throws UnusableInputException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowDuplicateKeys(false);
        try {
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new UnusableInputException(name + " is not valid YAML: " + yamlProblem(e));
        } catch (RuntimeException e) {
            throw new UnusableInputException(name + " is not valid YAML: " + Echo.message(e.toString()));
        }
    }

    /** SnakeYAML's message without its snippets of the text (the problem and where), one line. */
    private static String yamlProblem(YAMLException e) {
        if (e instanceof DuplicateKeyException duplicate && duplicate.getProblemMark() != null) {
            String problem = duplicate.getProblem() == null ? "" : duplicate.getProblem();
            String key = problem.startsWith("found duplicate key ") ? problem.substring("found duplicate key ".length()) : problem;
            return "duplicate key '" + Echo.of(key) + "' at line " + (duplicate.getProblemMark().getLine() + 1)
                    + " (which one counts is ambiguous; keep one)";
        }
        if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            return "line " + (marked.getProblemMark().getLine() + 1) + ": " + Echo.message(marked.getProblem());
        }
        return Echo.message(e.getMessage());
    }
}
