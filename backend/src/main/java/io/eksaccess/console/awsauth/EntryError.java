package io.eksaccess.console.awsauth;

import io.eksaccess.console.system.Sentence;

/**
 * Something the authenticator reports as an error while reading aws-auth: a whole section it
 * cannot read ({@code index} null) or one entry ({@code index} = its position in the YAML list).
 * {@code dropped} tells whether the authenticator ignores that entry.
 *
 * @param why the reader's words (text.aws-auth-read.*), for pages to resolve; {@link #message()} is their text
 */
public record EntryError(Section section, Integer index, SourceLines lines, boolean dropped, Sentence why) {

    public String key() {
        return section.key();
    }

    /** The text of {@link #why} (the CLI, findings, the API, logs). */
    public String message() {
        return why.text();
    }
}
