package io.eksaccess.console.awsauth;

/**
 * aws-auth is beyond what the console reads (too large, nested too deep, too much alias
 * expansion): the console cannot tell what the authenticator makes of it, so it shows no mappings
 * rather than a guess. The message names the section and the limit.
 */
public final class AwsAuthUnreadableException extends Exception {

    public AwsAuthUnreadableException(String message) {
        super(message);
    }
}
