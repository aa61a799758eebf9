package io.eksaccess.console.accessentry;

import io.eksaccess.console.awsauth.AwsProperties;
import io.eksaccess.console.cluster.Cluster;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.AccessEntriesCache;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.cluster.cache.EksAccessEntries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * {@link EntryPrincipalDates} from IAM {@code GetRole} / {@code GetUser}: after each sync of a
 * cluster's entries (checked on the entries' sync check interval, off the request path), each
 * entry principal's creation date, each ARN's answer reused for {@code console.aws.iam-cache-ttl}
 * (so a re-creation shows within that time after the next sync). A principal IAM does not return as the same ARN
 * (another account, a different path, deleted) gets no date: the finding says nothing about it.
 * Off with {@code console.aws.iam-checks=off}, or {@code auto} without AWS credentials, as AWSAUTH-008.
 */
@Component
class IamEntryPrincipalDates implements EntryPrincipalDates, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(IamEntryPrincipalDates.class);

    /** One cluster's dates and the sync they belong to (by identity: each sync is a new object). */
    private record Read(EksAccessEntries sync, Checked checked) {}

    private final ClusterRepository clusters;
    private final ClusterCaches caches;
    private final IamClient iam;
    private final Map<String, Read> read = new ConcurrentHashMap<>();

    /** IAM's answer for one principal ARN: its creation date, or why there is none; reused until {@code expires}. */
    private record Answer(Instant created, String unknown, Instant expires) {}

    // Per ARN, shared by all clusters, for console.aws.iam-cache-ttl: each sync is a new object even
    // when nothing changed, and 3,000 GetRole calls per sync interval would hit IAM's rate limits.
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final java.time.Duration ttl;

    IamEntryPrincipalDates(ClusterRepository clusters, ClusterCaches caches, AwsProperties aws) {
        this.clusters = clusters;
        this.caches = caches;
        this.iam = client(aws);
        this.ttl = aws.iamCacheTtl();
    }

    private static IamClient client(AwsProperties aws) {
        if (aws.iamChecks() == AwsProperties.IamChecks.OFF) {
            return null;
        }
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        if (aws.iamChecks() == AwsProperties.IamChecks.AUTO) {
            try {
                credentials.resolveCredentials();
            } catch (SdkException e) {
                return null;
            }
        }
        IamClientBuilder builder = IamClient.builder().region(Region.AWS_GLOBAL).credentialsProvider(credentials)
                .overrideConfiguration(c -> c.apiCallTimeout(java.time.Duration.ofSeconds(5)));
        if (aws.endpointOverride() != null) {
            builder.endpointOverride(aws.endpointOverride());
        }
        return builder.build();
    }

    @Override
    public Optional<Checked> of(EksAccessEntries sync) {
        for (Read r : read.values()) {
            if (r.sync() == sync) {
                return Optional.of(r.checked());
            }
        }
        return Optional.empty();
    }

    @Scheduled(initialDelayString = "${console.clusters.eks.access-entries-check:5s}",
            fixedDelayString = "${console.clusters.eks.access-entries-check:5s}")
    void readNewSyncs() {
        if (iam == null) {
            return;
        }
        read.keySet().removeIf(name -> clusters.findByName(name).isEmpty());
        for (Cluster cluster : clusters.findAll()) {
            Optional<EksAccessEntries> sync = caches.accessEntries(cluster.name()).flatMap(AccessEntriesCache::entries);
            Read last = read.get(cluster.name());
            if (sync.isPresent() && (last == null || last.sync() != sync.get())) {
                read.put(cluster.name(), new Read(sync.get(), check(sync.get())));
            }
        }
    }

    Checked check(EksAccessEntries sync) {
        Map<String, Instant> created = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        Instant now = Instant.now();
        answers.values().removeIf(answer -> !now.isBefore(answer.expires()));
        for (EksAccessEntries.Entry entry : sync.entries()) {
            PrincipalArn principal = PrincipalArn.parse(entry.principalArn());
            if (principal == null || created.containsKey(entry.principalArn())) {
                continue;
            }
            Answer answer = answers.computeIfAbsent(entry.principalArn(), arn -> ask(principal, arn, now));
            if (answer.created() != null) {
                created.put(entry.principalArn(), answer.created());
            } else {
                unknown.add(answer.unknown());
            }
        }
        if (!unknown.isEmpty()) {
            log.info("IAM creation dates of {} access entry principal(s) unknown, e.g. {}", unknown.size(), unknown.get(0));
        }
        return new Checked(Map.copyOf(created), List.copyOf(unknown));
    }

    private Answer ask(PrincipalArn principal, String entryArn, Instant now) {
        Instant expires = now.plus(ttl);
        try {
            String arn;
            Instant date;
            if (principal.isRole()) {
                var role = iam.getRole(r -> r.roleName(principal.name())).role();
                arn = role.arn();
                date = role.createDate();
            } else {
                var user = iam.getUser(r -> r.userName(principal.name())).user();
                arn = user.arn();
                date = user.createDate();
            }
            // GetRole/GetUser answer for the credentials' own account, by name: only the same ARN is this principal.
            return arn.equalsIgnoreCase(entryArn) ? new Answer(date, null, expires)
                    : new Answer(null, entryArn + ": IAM's " + principal.name() + " is " + arn, expires);
        } catch (NoSuchEntityException e) {
            return new Answer(null, entryArn + ": IAM has no such " + (principal.isRole() ? "role" : "user")
                    + " in the console's account", expires);
        } catch (SdkException e) {
            // Failures are asked again at the next sync rather than remembered.
            return new Answer(null, entryArn + ": IAM did not answer (" + e.getClass().getSimpleName() + ")", now);
        }
    }

    @Override
    public void destroy() {
        if (iam != null) {
            iam.close();
        }
    }
}
