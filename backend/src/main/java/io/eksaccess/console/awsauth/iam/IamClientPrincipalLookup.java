package io.eksaccess.console.awsauth.iam;

import io.eksaccess.console.awsauth.IamPrincipalLookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * AWSAUTH-008 against IAM: {@code GetRole} / {@code GetUser} by the name at the end of the mapped
 * ARN, answers cached for a while.
 *
 * <ul>
 *   <li>A role is found by name alone: callers arrive as assumed-role ARNs, which carry no path,
 *       so the name is what the authenticator matches.
 *   <li>A user's ARN must equal the one IAM returns (case-insensitively, as the authenticator
 *       compares): callers arrive with the user's path.
 *   <li>IAM only answers for the account the console's credentials belong to; ARNs of other
 *       accounts or partitions are unknown, as is anything when IAM or STS fails (logged).
 * </ul>
 */
final class IamClientPrincipalLookup implements IamPrincipalLookup, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IamClientPrincipalLookup.class);
    private static final Pattern IAM_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    /** Failures are retried sooner than answers are refreshed. */
    private static final Duration UNKNOWN_TTL = Duration.ofMinutes(1);

    private record Cached(Existence existence, Instant expires) {}

    /** The account and partition the credentials belong to. */
    private record Own(String partition, String accountId) {}

    private final IamClient iam;
    private final StsClient sts;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile Own own;
    private volatile String lastFailure;

    IamClientPrincipalLookup(IamClient iam, StsClient sts, Duration ttl, Clock clock) {
        this.iam = iam;
        this.sts = sts;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Existence lookup(String arn) {
        Instant now = clock.instant();
        Cached cached = cache.get(arn);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.existence();
        }
        Existence existence = ask(arn);
        cache.put(arn, new Cached(existence, now.plus(existence == Existence.UNKNOWN ? min(ttl, UNKNOWN_TTL) : ttl)));
        return existence;
    }

    private Existence ask(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("iam")) {
            return Existence.UNKNOWN;
        }
        String resource = parts[5];
        int slash = resource.indexOf('/');
        if (slash < 0) {
            return Existence.UNKNOWN; // root and the like: not a role or user
        }
        String type = resource.substring(0, slash);
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        if (!IAM_NAME.matcher(name).matches() || !(type.equals("role") || type.equals("user"))) {
            return Existence.UNKNOWN; // AWSAUTH-005 says what is wrong with the ARN
        }
        try {
            Own account = own();
            if (account == null || !account.partition().equals(parts[1]) || !account.accountId().equals(parts[4])) {
                return Existence.UNKNOWN;
            }
            if (type.equals("role")) {
                iam.getRole(request -> request.roleName(name));
                return Existence.EXISTS;
            }
            String actual = iam.getUser(request -> request.userName(name)).user().arn();
            return actual.equalsIgnoreCase(arn) ? Existence.EXISTS : Existence.MISSING;
        } catch (NoSuchEntityException e) {
            return Existence.MISSING;
        } catch (SdkException e) {
            failed("IAM cannot tell whether " + arn + " exists: " + e.getMessage());
            return Existence.UNKNOWN;
        }
    }

    /** Asked once (STS GetCallerIdentity); retried on the next lookup while it fails. */
    private Own own() {
        Own known = own;
        if (known == null) {
            try {
                var identity = sts.getCallerIdentity();
                String callerArn = identity.arn();
                known = new Own(callerArn.split(":", 6)[1], identity.account());
                own = known;
                log.info("IAM existence checks (AWSAUTH-008) answer for account {} ({})", known.accountId(), callerArn);
            } catch (SdkException e) {
                failed("IAM existence checks cannot find the console's own AWS account: " + e.getMessage());
                return null;
            }
        }
        return known;
    }

    /** One log line per distinct failure, so a broken AWS connection does not flood the log. */
    private void failed(String message) {
        if (!message.equals(lastFailure)) {
            lastFailure = message;
            log.warn("{} (AWSAUTH-008 reports nothing for it)", message);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        iam.close();
        sts.close();
    }
}
