package io.eksaccess.console.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/** Times as pages show them: relative ("5 min ago"), with the absolute UTC time for a tooltip. Templates: {@code @timeFormat}. */
@Component("timeFormat")
public class TimeFormat {

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    public TimeFormat() {
        this(Clock.systemUTC());
    }

    TimeFormat(Clock clock) {
        this.clock = clock;
    }

    public String relative(Instant instant) {
        if (instant == null) {
            return "never";
        }
        Duration ago = Duration.between(instant, clock.instant());
        if (ago.isNegative() || ago.toSeconds() < 10) {
            return "just now";
        }
        return duration(ago) + " ago";
    }

    public String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return duration.toMinutes() + " min";
        }
        if (seconds < 86_400) {
            return duration.toHours() + " h";
        }
        return duration.toDays() + " d";
    }

    public String absolute(Instant instant) {
        return instant == null ? "" : UTC.format(instant);
    }

    /** ISO 8601 for {@code <time datetime>}. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
