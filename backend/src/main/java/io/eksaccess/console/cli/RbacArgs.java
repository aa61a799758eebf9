package io.eksaccess.console.cli;

import io.eksaccess.console.rbac.AccessRequest;
import io.eksaccess.console.rbac.RbacQuestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options the RBAC commands share ({@code --opt VALUE} or {@code --opt=VALUE}; {@code --group}
 * may repeat) and the request they describe: {@code VERB RESOURCE[.GROUP][/SUB]} or
 * {@code VERB --non-resource-url URL}.
 */
final class RbacArgs {

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static final String NO_CACHE = "--no-cache";
    private static final Map<String, String> ALIASES = Map.of("-n", "--namespace");

    boolean json;
    boolean help;
    /** {@code --no-cache}, for the commands that list it: read the dump without {@link PreparedCache}. */
    boolean noCache;
    final Map<String, String> options = new LinkedHashMap<>();
    final List<String> groups = new ArrayList<>();
    final List<String> positional = new ArrayList<>();

    static RbacArgs parse(String[] args, Set<String> allowed) throws UsageException {
        RbacArgs parsed = new RbacArgs();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--json")) {
                parsed.json = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                parsed.help = true;
            } else if (arg.equals(NO_CACHE) && allowed.contains(NO_CACHE)) {
                parsed.noCache = true;
            } else if (arg.startsWith("-") && arg.length() > 1) {
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                name = ALIASES.getOrDefault(name, name);
                if (!allowed.contains(name)) {
                    throw new UsageException("unknown option " + arg + KubectlHabits.hint(name, allowed));
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args[++i];
                }
                if (name.equals("--group")) {
                    parsed.groups.add(value);
                } else if (parsed.options.put(name, value) != null) {
                    throw new UsageException(name + " given twice");
                }
            } else {
                parsed.positional.add(arg);
            }
        }
        return parsed;
    }

    String option(String name) {
        return options.get(name);
    }

    String required(String name) throws UsageException {
        String value = options.get(name);
        if (value == null || value.isEmpty()) {
            throw new UsageException("missing " + name + (name.equals("--from") ? KubectlHabits.FROM_HINT : ""));
        }
        return value;
    }

    /** VERB RESOURCE[.GROUP][/SUB] [--api-group G] [-n NS] [--name N], or VERB --non-resource-url URL. */
    AccessRequest request() throws UsageException {
        String url = option("--non-resource-url");
        if (url != null) {
            if (positional.size() != 1) {
                throw new UsageException("with --non-resource-url give only VERB");
            }
            for (String resourceOnly : List.of("--api-group", "--namespace", "--name")) {
                if (options.containsKey(resourceOnly)) {
                    throw new UsageException(resourceOnly + " does not go with --non-resource-url");
                }
            }
            return AccessRequest.nonResource(verb(), url);
        }
        if (positional.size() != 2) {
            throw new UsageException("give VERB and RESOURCE[/SUBRESOURCE] (or VERB --non-resource-url URL)");
        }
        String verb = verb();
        try {
            // The API's and the page's parser, so RESOURCE[.VERSION].GROUP[/SUB] reads the same everywhere.
            return RbacQuestions.request(verb, positional.get(1), option("--api-group"), option("--namespace"),
                    option("--name"), null);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private String verb() throws UsageException {
        if (positional.isEmpty() || positional.get(0).isEmpty()) {
            throw new UsageException("missing VERB");
        }
        return positional.get(0);
    }
}
