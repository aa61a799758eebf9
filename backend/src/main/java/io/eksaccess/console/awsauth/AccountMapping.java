package io.eksaccess.console.awsauth;

/**
 * A {@code mapAccounts} entry the authenticator keeps. {@code index} is its position in the YAML
 * list, or -1 for the empty padding go-yaml leaves when decoding the list aborts.
 */
public record AccountMapping(int index, SourceLines lines, String accountId) {
}
