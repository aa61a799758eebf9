package io.eksaccess.console.awsauth;

/**
 * Something the authenticator reports as an error while reading aws-auth: a whole section it
 * cannot read ({@code index} null) or one entry ({@code index} = its position in the YAML list).
 * {@code dropped} tells whether the authenticator ignores that entry.
 */
public record EntryError(Section section, Integer index, SourceLines lines, boolean dropped, String message) {

    public String key() {
        return section.key();
    }
}
