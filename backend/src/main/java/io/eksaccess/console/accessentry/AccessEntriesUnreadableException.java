package io.eksaccess.console.accessentry;

/** An access-entries file that leaves no answer; the message is one line for the person who gave it. */
public class AccessEntriesUnreadableException extends Exception {

    public AccessEntriesUnreadableException(String message) {
        super(message);
    }
}
