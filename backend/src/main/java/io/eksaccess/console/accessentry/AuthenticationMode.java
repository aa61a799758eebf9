package io.eksaccess.console.accessentry;

/**
 * A cluster's {@code accessConfig.authenticationMode}: which of aws-auth and access entries the
 * authenticator reads. Changes go one way only, in this order.
 */
public enum AuthenticationMode {
    /** aws-auth only; the access-entry APIs refuse. */
    CONFIG_MAP,
    /** Both; for a principal with an access entry the entry wins over its aws-auth mapping. */
    API_AND_CONFIG_MAP,
    /** Access entries only; aws-auth is ignored entirely. */
    API;

    public boolean readsAwsAuth() {
        return this != API;
    }

    public boolean readsAccessEntries() {
        return this != CONFIG_MAP;
    }
}
