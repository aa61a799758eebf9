package io.eksaccess.console.cli;

import io.eksaccess.console.awsauth.AccountMapping;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.awsauth.AwsAuthValidator;
import io.eksaccess.console.awsauth.EntryError;
import io.eksaccess.console.awsauth.Finding;
import io.eksaccess.console.awsauth.RoleMapping;
import io.eksaccess.console.awsauth.UserMapping;
import io.eksaccess.console.awsauth.WhoIs;
import io.eksaccess.console.awsauth.goyaml.Echo;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code aws-auth validate [--json] FILE} and {@code aws-auth whois [--json] FILE CALLER_ARN}: read
 * an aws-auth ConfigMap file as the authenticator does, offline. Exit 0 when the authenticator
 * reports no error for it, 1 when it does, 2 when the input is unusable or the usage is wrong.
 */
final class AwsAuthCommand implements CliCommand {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String USAGE = """
            Usage: java -jar backend/target/eks-access-console.jar aws-auth validate [--json] FILE
                   java -jar backend/target/eks-access-console.jar aws-auth whois [--json] FILE CALLER_ARN
            FILE: a ConfigMap as kubectl get configmap aws-auth -n kube-system -o yaml (or -o json) prints it; - for stdin.""";

    @Override
    public String name() {
        return "aws-auth";
    }

    @Override
    public String summary() {
        return "validate an aws-auth ConfigMap file, or show what a caller ARN maps to";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        boolean json = false;
        for (String arg : args) {
            if (arg.equals("--json")) {
                json = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.println(USAGE);
                return ConsoleCli.OK;
            } else if (arg.startsWith("--")) {
                return usage(err, "unknown option " + Echo.of(arg));
            } else {
                positional.add(arg);
            }
        }
        if (positional.isEmpty()) {
            return usage(err, "missing subcommand (validate or whois)");
        }
        String sub = positional.get(0);
        int expected = sub.equals("validate") ? 2 : sub.equals("whois") ? 3 : -1;
        if (expected < 0) {
            return usage(err, "unknown subcommand '" + Echo.of(sub) + "'");
        }
        if (positional.size() != expected) {
            return usage(err, sub + " needs " + (expected == 2 ? "FILE" : "FILE and CALLER_ARN"));
        }
        AwsAuthConfig config;
        try {
            config = AwsAuthParser.read(ConfigMapFile.readData(positional.get(1), in));
        } catch (ConfigMapFile.UnusableInputException e) {
            err.println("aws-auth: " + e.getMessage());
            return ConsoleCli.USAGE;
        } catch (AwsAuthUnreadableException e) {
            err.println("aws-auth: aws-auth could not be read: " + e.getMessage());
            return ConsoleCli.USAGE;
        }
        int status = config.hasErrors() ? ConsoleCli.PROBLEM_FOUND : ConsoleCli.OK;
        if (sub.equals("validate")) {
            List<Finding> findings = AwsAuthValidator.offline().validate(config);
            if (json) {
                out.println(JSON.writeValueAsString(validateJson(config, findings)));
            } else {
                printValidation(config, findings, out);
            }
            return status;
        }
        WhoIs.Answer answer;
        try {
            answer = WhoIs.resolve(config, positional.get(2), false);
        } catch (IllegalArgumentException e) {
            err.println("aws-auth: the authenticator refuses this caller ARN: " + Echo.message(e.getMessage()));
            return ConsoleCli.USAGE;
        }
        answer.notes().forEach(note -> err.println("aws-auth: note: " + note));
        if (json) {
            out.println(JSON.writeValueAsString(whoisJson(answer)));
        } else {
            printWhois(positional.get(2), answer, out);
        }
        return status;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("aws-auth: " + problem);
        err.println(USAGE);
        return ConsoleCli.USAGE;
    }

    static ObjectNode validateJson(AwsAuthConfig config, List<Finding> findings) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode roles = root.putArray("roleMappings");
        for (RoleMapping role : config.roles()) {
            ObjectNode node = roles.addObject();
            if (role.sso() == null) {
                node.put("rolearn", role.roleArn());
            } else {
                ObjectNode sso = node.putObject("sso");
                sso.put("permissionSetName", role.sso().permissionSetName());
                sso.put("accountID", role.sso().accountId());
                if (!role.sso().partition().isEmpty()) {
                    // As the authenticator's JSON (partition is omitempty in SSOARNMatcher).
                    sso.put("partition", role.sso().partition());
                }
            }
            node.put("username", role.username());
            ArrayNode groups = node.putArray("groups");
            role.groups().forEach(groups::add);
        }
        ArrayNode users = root.putArray("userMappings");
        for (UserMapping user : config.users()) {
            ObjectNode node = users.addObject();
            node.put("userarn", user.userArn());
            node.put("username", user.username());
            ArrayNode groups = node.putArray("groups");
            user.groups().forEach(groups::add);
        }
        ArrayNode accounts = root.putArray("mapAccounts");
        config.accounts().stream().map(AccountMapping::accountId).forEach(accounts::add);
        ArrayNode errors = root.putArray("errors");
        for (EntryError error : config.errors()) {
            ObjectNode node = errors.addObject();
            node.put("key", error.key());
            putIndex(node, error.index());
            node.put("message", error.message());
        }
        ArrayNode findingsNode = root.putArray("findings");
        for (Finding finding : findings) {
            ObjectNode node = findingsNode.addObject();
            node.put("id", finding.id());
            node.put("severity", finding.severity().label());
            node.put("key", finding.key());
            putIndex(node, finding.index());
            node.put("message", finding.message());
        }
        return root;
    }

    private static void putIndex(ObjectNode node, Integer index) {
        if (index == null) {
            node.putNull("index");
        } else {
            node.put("index", index.intValue());
        }
    }

    static ObjectNode whoisJson(WhoIs.Answer answer) {
        ObjectNode root = JSON.createObjectNode();
        root.put("mapped", answer.mapped());
        if (answer.mapped()) {
            root.put("via", answer.via().key());
            root.put("username", answer.username());
            ArrayNode groups = root.putArray("groups");
            answer.groups().forEach(groups::add);
            ObjectNode entry = root.putObject("entry");
            entry.put("key", answer.via().key());
            entry.put("index", answer.entryIndex());
        }
        return root;
    }

    private static void printValidation(AwsAuthConfig config, List<Finding> findings, PrintStream out) {
        out.printf("aws-auth: %d role mapping(s), %d user mapping(s), %d account(s) as the authenticator reads them%n",
                config.roles().size(), config.users().size(), config.accounts().size());
        for (RoleMapping role : config.roles()) {
            out.printf("  mapRoles[%d]%s  %s -> %s %s%n", role.index(), line(role.lines()), Echo.of(role.displayArn()),
                    Echo.of(role.username()), Echo.of(role.groups()));
        }
        for (UserMapping user : config.users()) {
            out.printf("  mapUsers[%d]%s  %s -> %s %s%n", user.index(), line(user.lines()), Echo.of(user.userArn()),
                    Echo.of(user.username()), Echo.of(user.groups()));
        }
        for (AccountMapping account : config.accounts()) {
            out.printf("  mapAccounts[%d]%s  %s%n", account.index(), line(account.lines()), Echo.of(account.accountId()));
        }
        out.printf("errors: %d%n", config.errors().size());
        for (EntryError error : config.errors()) {
            out.printf("  %s%s: %s%n", error.key(), error.index() == null ? "" : "[" + error.index() + "]",
                    error.message());
        }
        out.printf("findings: %d%n", findings.size());
        for (Finding finding : findings) {
            out.printf("  %s %-8s %s%s: %s%n", finding.id(), finding.severity().label(), finding.key(),
                    finding.index() == null ? "" : "[" + finding.index() + "]", finding.message());
        }
    }

    private static String line(io.eksaccess.console.awsauth.SourceLines lines) {
        return lines == null ? "" : " (line " + lines.first() + ")";
    }

    private static void printWhois(String arn, WhoIs.Answer answer, PrintStream out) {
        if (!answer.mapped()) {
            out.println(arn + " is not mapped: the authenticator refuses it");
            return;
        }
        out.printf("%s maps via %s[%d]%n", arn, answer.via().key(), answer.entryIndex());
        out.println("  username: " + answer.username());
        out.println("  groups:   " + String.join(", ", answer.groups()));
    }
}
