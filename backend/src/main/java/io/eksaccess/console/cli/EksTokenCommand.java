package io.eksaccess.console.cli;

import io.eksaccess.console.cluster.eks.AwsCredentialsFactory;
import io.eksaccess.console.cluster.eks.EksToken;
import io.eksaccess.console.cluster.eks.EksTokenGenerator;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * {@code eks-token --cluster NAME [--region R] [--role-arn ARN]}: a kubectl credential plugin that
 * prints the same {@code ExecCredential} as {@code aws eks get-token}.
 */
final class EksTokenCommand implements CliCommand {

    private static final DateTimeFormatter EXPIRATION =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    EksTokenCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "eks-token";
    }

    @Override
    public String summary() {
        return "print an EKS ExecCredential, as 'aws eks get-token' does (--cluster NAME [--region R] [--role-arn ARN])";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String cluster = null;
        String region = null;
        String roleArn = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                out.println("Usage: eks-token --cluster NAME [--region R] [--role-arn ARN]");
                return ConsoleCli.OK;
            }
            if (i + 1 >= args.length || !option.startsWith("--")) {
                return usage(err, "'" + option + "' needs a value or is not an option");
            }
            String value = args[++i];
            switch (option) {
                case "--cluster", "--cluster-name" -> cluster = value;
                case "--region" -> region = value;
                case "--role-arn" -> roleArn = value;
                default -> {
                    return usage(err, "unknown option '" + option + "'");
                }
            }
        }
        if (cluster == null || cluster.isBlank()) {
            return usage(err, "--cluster is required");
        }
        Region awsRegion;
        try {
            awsRegion = region != null ? Region.of(region) : DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkException e) {
            return usage(err, "no AWS region: pass --region or set AWS_REGION");
        }
        try {
            var credentials = AwsCredentialsFactory.forRole(roleArn, awsRegion).resolveCredentials();
            EksToken token = new EksTokenGenerator(clock).generate(cluster, awsRegion.id(), credentials);
            out.println(execCredential(token));
            return ConsoleCli.OK;
        } catch (SdkException e) {
            err.println("eks-token: could not get AWS credentials"
                    + (roleArn == null ? "" : " for role " + roleArn) + ": " + e.getMessage());
            return ConsoleCli.PROBLEM_FOUND;
        }
    }

    /** The AWS CLI's output: Python's json.dumps of the same object, keys in the same order. */
    static String execCredential(EksToken token) {
        return "{\"kind\": \"ExecCredential\", \"apiVersion\": \"client.authentication.k8s.io/v1beta1\", \"spec\": {}, "
                + "\"status\": {\"expirationTimestamp\": \"" + EXPIRATION.format(token.expiresAt().truncatedTo(ChronoUnit.SECONDS))
                + "\", \"token\": \"" + token.token() + "\"}}";
    }

    private static int usage(PrintStream err, String problem) {
        err.println("eks-token: " + problem);
        err.println("Usage: eks-token --cluster NAME [--region R] [--role-arn ARN]");
        return ConsoleCli.USAGE;
    }
}
