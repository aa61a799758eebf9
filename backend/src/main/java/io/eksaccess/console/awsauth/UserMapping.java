package io.eksaccess.console.awsauth;

import java.util.List;

/** A {@code mapUsers} entry the authenticator keeps; {@code index} is its position in the YAML list. */
public record UserMapping(int index, SourceLines lines, String userArn, String username, List<String> groups,
        String userId) {

    public UserMapping {
        groups = List.copyOf(groups);
    }

    /** UserMapping.Key(): the ARN as written (not lower-cased, unlike roles). */
    public String key() {
        return userArn;
    }
}
