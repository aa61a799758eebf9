package io.eksaccess.console.cluster.cache;

import io.eksaccess.console.cluster.eks.EksAccessEntryReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * One EKS cluster's access entries, synced from the EKS API on an interval and on demand (never
 * on a page's request), with the Kubernetes caches' states: STARTING until the first sync,
 * LIVE while the last sync succeeded within twice the interval, STALE (last data kept, with its
 * age and why) after a failed or overdue sync, ERROR when no sync ever succeeded.
 */
public final class AccessEntriesCache implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessEntriesCache.class);

    private final String cluster;
    private final String eksClusterName;
    private final EksAccessEntryReader reader;
    private final Clock clock;
    private final Duration interval;
    private final AtomicBoolean syncing = new AtomicBoolean();
    /** A sync was asked for while one ran: that one may have read before the change the caller made. */
    private final AtomicBoolean again = new AtomicBoolean();

    private volatile EksAccessEntries data;
    private volatile String lastError;
    private volatile Instant lastAttemptAt;

    AccessEntriesCache(String cluster, String eksClusterName, EksAccessEntryReader reader, Clock clock, Duration interval) {
        this.cluster = cluster;
        this.eksClusterName = eksClusterName;
        this.reader = reader;
        this.clock = clock;
        this.interval = interval;
    }

    public String cluster() {
        return cluster;
    }

    /** The entries of the last complete sync, if any. */
    public Optional<EksAccessEntries> entries() {
        return Optional.ofNullable(data);
    }

    boolean due() {
        Instant last = lastAttemptAt;
        return !syncing.get() && (last == null || !clock.instant().isBefore(last.plus(interval)));
    }

    /**
     * Reads everything from EKS now (off the request path); one sync at a time per cluster. Asked while
     * one runs, it returns at once and the running one reads again when done.
     */
    public void sync() {
        again.set(true);
        // Checked after syncing is cleared: a request set just before is seen here or wins the next compareAndSet.
        while (again.get() && syncing.compareAndSet(false, true)) {
            try {
                again.set(false);
                readOnce();
            } finally {
                syncing.set(false);
            }
        }
    }

    private void readOnce() {
        try {
            lastAttemptAt = clock.instant();
            EksAccessEntries read = reader.read(eksClusterName);
            data = read;
            lastError = null;
            log.info("cluster={} access-entries={} calls={} took={}ms", cluster, read.entries().size(), read.calls(),
                    read.took().toMillis());
        } catch (RuntimeException e) {
            String reason = describe(e);
            if (!reason.equals(lastError)) {
                log.warn("cluster={} access entries could not be read, will retry: {}", cluster, reason);
            }
            lastError = reason;
        }
    }

    public AccessEntriesStatus status() {
        Instant now = clock.instant();
        EksAccessEntries current = data;
        String error = lastError;
        if (current == null) {
            SyncState state = error == null ? SyncState.STARTING : SyncState.ERROR;
            return new AccessEntriesStatus(cluster, state, null,
                    error == null ? "Reading the access entries from EKS for the first time." : error, 0, 0, null, now);
        }
        boolean overdue = now.isAfter(current.syncedAt().plus(interval.multipliedBy(2)));
        SyncState state = error == null && !overdue ? SyncState.LIVE : SyncState.STALE;
        String reason = state == SyncState.LIVE ? null
                : error != null ? error : "The last sync from EKS is overdue (interval " + interval.toSeconds() + "s).";
        return new AccessEntriesStatus(cluster, state, current.syncedAt(), reason, current.entries().size(),
                current.calls(), current.took(), now);
    }

    /** Why EKS could not be read, in words a person can act on; never the request's credentials. */
    static String describe(RuntimeException failure) {
        if (failure instanceof AwsServiceException aws) {
            int status = aws.statusCode();
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            if (status == 403 || "AccessDeniedException".equals(code)) {
                return "EKS refused the console's IAM identity (" + code + "): it needs eks:ListAccessEntries,"
                        + " eks:DescribeAccessEntry, eks:ListAssociatedAccessPolicies and eks:ListAccessPolicies"
                        + " (see README, 'IAM policy').";
            }
            if ("InvalidRequestException".equals(code)) {
                return "EKS refused the access-entry API (" + aws.awsErrorDetails().errorMessage()
                        + "); the cluster is probably back in CONFIG_MAP mode until discovery notices.";
            }
            if ("ResourceNotFoundException".equals(code)) {
                return "EKS does not know the cluster (ResourceNotFoundException): it was deleted or the console"
                        + " looks in the wrong account or region.";
            }
            return "EKS answered " + status + " " + code + ": " + aws.awsErrorDetails().errorMessage();
        }
        if (failure instanceof SdkClientException) {
            return "The EKS API could not be reached (" + failure.getMessage() + "). Check network access and"
                    + " credentials of the console.";
        }
        return "The access entries could not be read: " + failure.getMessage();
    }

    @Override
    public void close() {
        reader.close();
    }
}
