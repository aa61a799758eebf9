package io.eksaccess.console.request;

/**
 * The change fields the new-request and break-glass forms share: their names (the posted field
 * names), their defaults and how they become {@link ChangeFields}. A record cannot inherit
 * components, so each form declares them (with the same {@code @Size} limits, {@link #MAX_GROUPS_TEXT}
 * and {@link #MAX_NAMESPACES_TEXT}) and normalizes them here in its compact constructor.
 */
interface ChangeForm {

    /** Comma-separated groups, all together (50 groups of 255 characters and their commas fit). */
    int MAX_GROUPS_TEXT = 16384;
    int MAX_NAMESPACES_TEXT = 4096;

    ChangeKind kind();

    String arn();

    String username();

    String groups();

    String type();

    String policyArn();

    String scopeType();

    String namespaces();

    String authenticationMode();

    /** The change's fields for {@link ChangeFields#build}. */
    default ChangeFields fields() {
        return new ChangeFields(arn(), username(), ChangeKind.splitGroups(groups()), type(), policyArn(), scopeType(),
                ChangeKind.splitGroups(namespaces()), authenticationMode());
    }

    /** An absent text field is empty (an unposted field and an empty one read the same). */
    static String text(String value) {
        return value == null ? "" : value;
    }

    /** The entry type the form preselects. */
    static String type(String value) {
        return value == null || value.isBlank() ? "STANDARD" : value;
    }

    /** The access scope the form preselects. */
    static String scopeType(String value) {
        return value == null || value.isBlank() ? "cluster" : value;
    }
}
