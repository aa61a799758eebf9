package io.eksaccess.console.cluster.cache;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Why a cluster cannot be read, in words a person can act on. */
public final class ConnectionProblem {

    private ConnectionProblem() {}

    public static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof KubernetesClientException k && k.getCode() == 401) {
                return "The API server rejected the console's credentials (401): the token or certificate is"
                        + " invalid or expired, or the IAM identity is not mapped in aws-auth.";
            }
            if (t instanceof KubernetesClientException k && k.getCode() == 403) {
                return "The console's identity lacks permission (403)"
                        + (k.getStatus() != null && k.getStatus().getMessage() != null
                                ? ": " + k.getStatus().getMessage()
                                : "")
                        + ". Bind it to the console's ClusterRole (see README, 'The console's own access').";
            }
            if (t instanceof UnknownHostException) {
                return "The API server's host name does not resolve (DNS): " + t.getMessage()
                        + ". Check the endpoint and the console's DNS; a private EKS endpoint is only resolvable inside its VPC.";
            }
            if (t instanceof ConnectException) {
                return "Nothing answers at the API server's address (connection refused or unreachable)."
                        + " The cluster may be down, or a firewall or security group blocks the console.";
            }
            if (t instanceof HttpTimeoutException || t instanceof TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return "The API server did not answer in time. Check network access from the console to the endpoint.";
            }
            if (t instanceof SSLException) {
                return "The TLS connection to the API server failed (" + t.getMessage()
                        + "). Check the cluster's CA certificate.";
            }
            if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
                return "A file the connection needs is missing: " + t.getMessage();
            }
        }
        String message = failure.getMessage();
        return "The cluster could not be read: " + (message == null ? failure.getClass().getSimpleName() : message);
    }
}
