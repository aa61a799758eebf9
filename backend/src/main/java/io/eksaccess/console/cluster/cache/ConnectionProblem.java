package io.eksaccess.console.cluster.cache;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why a cluster cannot be read, in words a person can act on. The most specific cause anywhere
 * in the chain wins: an HTTP client reports an unresolvable host as a failed connect, for one.
 */
public final class ConnectionProblem {

    private ConnectionProblem() {}

    public static String describe(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        Optional<KubernetesClientException> http = first(chain, KubernetesClientException.class)
                .filter(e -> e.getCode() == 401 || e.getCode() == 403);
        if (http.isPresent() && http.get().getCode() == 401) {
            return "The API server rejected the console's credentials (401): the token or certificate is"
                    + " invalid or expired, or the IAM identity is not mapped in aws-auth.";
        }
        if (http.isPresent()) {
            String detail = http.get().getStatus() != null ? http.get().getStatus().getMessage() : null;
            return "The console's identity lacks permission (403)" + (detail != null ? ": " + detail : "")
                    + ". Bind it to the console's ClusterRole (see README, 'The console's own access').";
        }
        if (first(chain, UnknownHostException.class).isPresent()
                || first(chain, UnresolvedAddressException.class).isPresent()) {
            return "The API server's host name does not resolve (DNS). Check the endpoint and the console's DNS;"
                    + " a private EKS endpoint resolves only inside its VPC.";
        }
        if (first(chain, SSLException.class).isPresent()) {
            return "The TLS connection to the API server failed (" + first(chain, SSLException.class).get().getMessage()
                    + "). Check the cluster's CA certificate.";
        }
        if (first(chain, HttpTimeoutException.class).isPresent() || first(chain, TimeoutException.class).isPresent()
                || first(chain, SocketTimeoutException.class).isPresent()) {
            return "The API server did not answer in time. Check network access from the console to the endpoint.";
        }
        if (first(chain, ConnectException.class).isPresent()) {
            return "Nothing answers at the API server's address (connection refused or unreachable)."
                    + " The cluster may be down, or a firewall or security group blocks the console.";
        }
        Optional<Throwable> missingFile = chain.stream()
                .filter(t -> t instanceof NoSuchFileException || t instanceof FileNotFoundException)
                .findFirst();
        if (missingFile.isPresent()) {
            return "A file the connection needs is missing: " + missingFile.get().getMessage();
        }
        String message = failure.getMessage();
        return "The cluster could not be read: " + (message == null ? failure.getClass().getSimpleName() : message);
    }

    private static <T extends Throwable> Optional<T> first(List<Throwable> chain, Class<T> type) {
        return chain.stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
