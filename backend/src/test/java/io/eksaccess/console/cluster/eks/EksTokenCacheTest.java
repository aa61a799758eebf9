package io.eksaccess.console.cluster.eks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EksTokenCacheTest {

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void reusesATokenUntilAMinuteBeforeItExpires() {
        MovableClock clock = new MovableClock();
        EksTokenCache cache = new EksTokenCache(clock);
        AtomicInteger made = new AtomicInteger();
        EksTokenCache.Key key = new EksTokenCache.Key("prod", "eu-west-1", null);
        java.util.function.Supplier<EksToken> generate =
                () -> new EksToken("t" + made.incrementAndGet(), clock.now.plus(EksTokenGenerator.VALIDITY));

        assertThat(cache.get(key, generate).token()).isEqualTo("t1");
        clock.now = clock.now.plus(Duration.ofMinutes(12));
        assertThat(cache.get(key, generate).token()).as("13 min of 14 left: still good").isEqualTo("t1");
        clock.now = clock.now.plus(Duration.ofSeconds(61));
        assertThat(cache.get(key, generate).token()).as("under a minute left: renewed").isEqualTo("t2");
        assertThat(cache.get(new EksTokenCache.Key("prod", "eu-west-1", "arn:aws:iam::1:role/x"), generate).token())
                .as("other credentials, other token").isEqualTo("t3");
    }
}
