package io.eksaccess.console.cluster.eks;

import java.time.Instant;

/** A bearer token for an EKS cluster's API server, and when it stops being accepted. */
public record EksToken(String token, Instant expiresAt) {

    @Override
    public String toString() {
        return "EksToken[expiresAt=" + expiresAt + "]"; // the token is a credential: never logged
    }
}
