package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.system.InvalidInput;

/**
 * A caller ARN (as {@code aws sts get-caller-identity} prints it) canonicalized like the
 * authenticator's {@code arn.Canonicalize}: an assumed-role ARN becomes the IAM role ARN
 * {@code arn:<partition>:iam::<account>:role/<name>} (no path: STS ARNs carry none), IAM users,
 * roles, root and federated users stay as they are. {@code sessionName} is null when it cannot be
 * known offline (an IAM role ARN pasted directly) and "" for principals that have none.
 */
public record CallerArn(String arn, PrincipalType type, String canonicalArn, String accountId, String sessionName) {

    public enum PrincipalType { ROLE, USER, ROOT, FEDERATED_USER, ASSUMED_ROLE }

    /** @throws IllegalArgumentException with the authenticator's reason when it would refuse the ARN */
    public static CallerArn canonicalize(String arn) {
        if (!arn.startsWith("arn:")) {
            throw new InvalidInput("error.caller-arn.prefix", Echo.of(arn));
        }
        String[] sections = arn.split(":", 6);
        if (sections.length != 6) {
            throw new InvalidInput("error.caller-arn.sections", Echo.of(arn));
        }
        String partition = sections[1];
        String service = sections[2];
        String account = sections[4];
        String resource = sections[5];
        if (!AwsAuthParser.PARTITIONS.contains(partition)) {
            throw new InvalidInput("error.caller-arn.partition", Echo.of(arn));
        }
        String[] parts = resource.split("/", -1);
        switch (service) {
            case "sts" -> {
                if (parts[0].equals("federated-user")) {
                    return new CallerArn(arn, PrincipalType.FEDERATED_USER, arn, account, "");
                }
                if (parts[0].equals("assumed-role")) {
                    if (parts.length < 3) {
                        throw new InvalidInput("error.caller-arn.no-role", Echo.of(arn));
                    }
                    String role = String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
                    return new CallerArn(arn, PrincipalType.ASSUMED_ROLE,
                            "arn:" + partition + ":iam::" + account + ":role/" + role, account, parts[parts.length - 1]);
                }
                throw new InvalidInput("error.caller-arn.resource", Echo.of(resource), "sts");
            }
            case "iam" -> {
                return switch (parts[0]) {
                    case "role" -> new CallerArn(arn, PrincipalType.ROLE, arn, account, null);
                    case "user" -> new CallerArn(arn, PrincipalType.USER, arn, account, "");
                    case "root" -> new CallerArn(arn, PrincipalType.ROOT, arn, account, "");
                    default -> throw new InvalidInput("error.caller-arn.resource", Echo.of(resource), "iam");
                };
            }
            default -> throw new InvalidInput("error.caller-arn.service", Echo.of(service), Echo.of(arn));
        }
    }
}
