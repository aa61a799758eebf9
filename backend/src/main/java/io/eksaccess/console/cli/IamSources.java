package io.eksaccess.console.cli;

import io.eksaccess.console.accessentry.AccessEntriesReader;
import io.eksaccess.console.accessentry.AccessEntriesUnreadableException;
import io.eksaccess.console.accessentry.AuthenticationMode;
import io.eksaccess.console.accessentry.ClusterAccessEntries;
import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.awsauth.EntryError;
import io.eksaccess.console.awsauth.goyaml.Echo;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the RBAC commands learn which IAM principals map to whom: {@code --aws-auth FILE} (the
 * ConfigMap) and {@code --access-entries FILE} (the cluster's authentication mode and access
 * entries). Without {@code --access-entries} the mode is CONFIG_MAP. aws-auth errors (entries the
 * authenticator drops) count as input problems (exit 1) where the mode reads aws-auth.
 */
final class IamSources {

    static final String AWS_AUTH = "--aws-auth";
    static final String ACCESS_ENTRIES = "--access-entries";

    /** null when no --aws-auth was given. */
    final AwsAuthConfig awsAuth;
    final ClusterAccessEntries accessEntries;

    private IamSources(AwsAuthConfig awsAuth, ClusterAccessEntries accessEntries) {
        this.awsAuth = awsAuth;
        this.accessEntries = accessEntries;
    }

    static boolean given(RbacArgs args) {
        return args.option(AWS_AUTH) != null || args.option(ACCESS_ENTRIES) != null;
    }

    /** @return null when neither option was given */
    static IamSources loadIfGiven(RbacArgs args, InputStream in) throws RbacCommand.UnusableException {
        return given(args) ? load(args, in) : null;
    }

    static IamSources load(RbacArgs args, InputStream in) throws RbacCommand.UnusableException {
        AwsAuthConfig awsAuth = null;
        String awsAuthFile = args.option(AWS_AUTH);
        if (awsAuthFile != null) {
            try {
                awsAuth = AwsAuthParser.read(ConfigMapFile.readData(awsAuthFile, in));
            } catch (ConfigMapFile.UnusableInputException e) {
                throw new RbacCommand.UnusableException("aws-auth: " + e.getMessage());
            } catch (AwsAuthUnreadableException e) {
                throw new RbacCommand.UnusableException("aws-auth could not be read: " + e.getMessage());
            }
        }
        String entriesFile = args.option(ACCESS_ENTRIES);
        ClusterAccessEntries entries = entriesFile == null ? ClusterAccessEntries.NONE : readAccessEntries(entriesFile, in);
        return new IamSources(awsAuth, entries);
    }

    /** The {@code --access-entries} file ({@code -} for stdin), read and checked as the RBAC commands do. */
    static ClusterAccessEntries readAccessEntries(String file, InputStream in) throws RbacCommand.UnusableException {
        String name = file.equals("-") ? "stdin" : Echo.of(file);
        try {
            return AccessEntriesReader.read(readLimited(file, in, name));
        } catch (AccessEntriesUnreadableException e) {
            throw new RbacCommand.UnusableException("access entries " + name + ": " + e.getMessage());
        }
    }

    private static byte[] readLimited(String file, InputStream stdin, String name) throws RbacCommand.UnusableException {
        try (InputStream in = file.equals("-") ? stdin : Files.newInputStream(Path.of(file))) {
            // one byte more than allowed, so that the reader can say it is too large
            return in.readNBytes(AccessEntriesReader.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new RbacCommand.UnusableException("cannot read access entries " + name + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new RbacCommand.UnusableException("cannot read access entries " + name + ": "
                    + Echo.message(e.getMessage()));
        }
    }

    AuthenticationMode mode() {
        return accessEntries.mode();
    }

    /** Whether aws-auth errors count: given, and read by the cluster's mode. */
    boolean hasProblems() {
        return awsAuth != null && mode().readsAwsAuth() && awsAuth.hasErrors();
    }

    /** One line per aws-auth error that counts. */
    void printProblems(String command, PrintStream err) {
        if (hasProblems()) {
            for (EntryError error : awsAuth.errors()) {
                err.println(command + ": aws-auth: " + describe(error));
            }
        }
    }

    /** Appends the aws-auth errors that count to a JSON {@code errors} array. */
    void addErrors(ArrayNode errors) {
        if (hasProblems()) {
            for (EntryError error : awsAuth.errors()) {
                ObjectNode node = errors.addObject();
                node.put("file", "aws-auth");
                node.putNull("document");
                node.put("message", describe(error));
            }
        }
    }

    private static String describe(EntryError error) {
        return error.key() + (error.index() == null ? "" : "[" + error.index() + "]") + ": " + error.message();
    }
}
