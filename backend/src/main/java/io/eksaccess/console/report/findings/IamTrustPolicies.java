package io.eksaccess.console.report.findings;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * IRSA-001's trust policies from IAM {@code GetRole}, by the name at the end of the role ARN, kept
 * for a while so a page render does not call IAM for every ServiceAccount. A role of another
 * account (IAM answers only for the credentials' own) or a failure is unknown, never "clean".
 */
final class IamTrustPolicies implements TrustPolicies, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IamTrustPolicies.class);
    private static final Pattern IAM_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Duration UNKNOWN_TTL = Duration.ofMinutes(1);

    private record Cached(Optional<String> document, Instant expires) {}

    private final IamClient iam;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile String lastFailure;

    IamTrustPolicies(IamClient iam, Duration ttl, Clock clock) {
        this.iam = iam;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<String> trustPolicyOf(String roleArn) {
        Instant now = clock.instant();
        Cached cached = cache.get(roleArn);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.document();
        }
        Optional<String> document = ask(roleArn);
        cache.put(roleArn, new Cached(document, now.plus(document.isEmpty() && ttl.compareTo(UNKNOWN_TTL) > 0 ? UNKNOWN_TTL : ttl)));
        return document;
    }

    private Optional<String> ask(String roleArn) {
        String[] parts = roleArn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("iam") || !parts[5].startsWith("role/")) {
            return Optional.empty();
        }
        String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
        if (!IAM_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            Role role = iam.getRole(request -> request.roleName(name)).role();
            if (!role.arn().split(":", 6)[4].equals(parts[4])) {
                return Optional.empty(); // a role of the same name in the console's own account, not this one
            }
            return Optional.ofNullable(role.assumeRolePolicyDocument()).map(IamTrustPolicies::decoded);
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        } catch (SdkException e) {
            String message = "IAM cannot return the trust policy of " + roleArn + ": " + e.getMessage();
            if (!message.equals(lastFailure)) {
                lastFailure = message;
                log.warn("{} (IRSA-001 reports nothing for it)", message);
            }
            return Optional.empty();
        }
    }

    /** IAM returns the document URL-encoded (RFC 3986: a '+' is a plus); some emulators send it plain. */
    static String decoded(String document) {
        if (document.stripLeading().startsWith("{")) {
            return document;
        }
        try {
            return URLDecoder.decode(document.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return document; // not encoded after all; IRSA-001 then says it is not valid JSON
        }
    }

    @Override
    public void close() {
        iam.close();
    }
}
