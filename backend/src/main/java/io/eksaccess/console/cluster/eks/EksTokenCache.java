package io.eksaccess.console.cluster.eks;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Keeps one token per cluster identity and makes a new one a minute before the old one's end,
 * so requests never carry a token the API server is about to refuse.
 */
public final class EksTokenCache {

    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(1);

    /** What a token is for: the same cluster reached with other credentials is another entry. */
    public record Key(String clusterName, String region, String roleArn) {}

    private final Clock clock;
    private final Map<Key, EksToken> tokens = new ConcurrentHashMap<>();

    public EksTokenCache(Clock clock) {
        this.clock = clock;
    }

    public EksToken get(Key key, Supplier<EksToken> generate) {
        return tokens.compute(key, (k, cached) -> cached != null && fresh(cached) ? cached : generate.get());
    }

    private boolean fresh(EksToken token) {
        return clock.instant().plus(REFRESH_BEFORE_EXPIRY).isBefore(token.expiresAt());
    }
}
