package io.eksaccess.console.request;

import io.eksaccess.console.system.Sentence;
import java.util.List;

/** Grant durations as the form offers them and as people read them. */
public final class Durations {

    /** Choices on the form, in hours: 1 h … 90 days. */
    public static final List<Integer> CHOICES = List.of(1, 2, 4, 8, 24, 72, 168, 720, 2160);

    private Durations() {}

    /** The words of {@link #sentence}, for templates. */
    public static String words(int hours) {
        return sentence(hours).text();
    }

    /** Whole days as days, else hours: "1 day", "3 days", "8 hours". */
    public static Sentence sentence(int hours) {
        if (hours % 24 == 0) {
            int days = hours / 24;
            return days == 1 ? Sentence.of("text.duration.day") : Sentence.of("text.duration.days", days);
        }
        return hours == 1 ? Sentence.of("text.duration.hour") : Sentence.of("text.duration.hours", hours);
    }
}
