package io.eksaccess.console.awsauth;

/** The three data keys of aws-auth that the authenticator reads. */
public enum Section {
    MAP_ROLES("mapRoles"),
    MAP_USERS("mapUsers"),
    MAP_ACCOUNTS("mapAccounts");

    private final String key;

    Section(String key) {
        this.key = key;
    }

    /** The ConfigMap data key. */
    public String key() {
        return key;
    }
}
