package io.eksaccess.console.cluster.eks;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.MovableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EksTokenCacheTest {

    @Test
    void reusesATokenUntilAMinuteBeforeItExpires() {
        MovableClock clock = new MovableClock();
        EksTokenCache cache = new EksTokenCache(clock);
        AtomicInteger made = new AtomicInteger();
        EksTokenCache.Key key = new EksTokenCache.Key("prod", "eu-west-1", null);
        java.util.function.Supplier<EksToken> generate =
                () -> new EksToken("t" + made.incrementAndGet(), clock.instant().plus(EksTokenGenerator.VALIDITY));

        assertThat(cache.get(key, generate).token()).isEqualTo("t1");
        clock.advance(Duration.ofMinutes(12));
        assertThat(cache.get(key, generate).token()).as("13 min of 14 left: still good").isEqualTo("t1");
        clock.advance(Duration.ofSeconds(61));
        assertThat(cache.get(key, generate).token()).as("under a minute left: renewed").isEqualTo("t2");
        assertThat(cache.get(new EksTokenCache.Key("prod", "eu-west-1", "arn:aws:iam::1:role/x"), generate).token())
                .as("other credentials, other token").isEqualTo("t3");
    }
}
