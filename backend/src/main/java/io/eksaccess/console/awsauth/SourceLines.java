package io.eksaccess.console.awsauth;

/** Where an entry sits in its data value: 1-based, inclusive line numbers. */
public record SourceLines(int first, int last) {
}
