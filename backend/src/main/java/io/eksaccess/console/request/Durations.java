package io.eksaccess.console.request;

import java.util.List;

/** Grant durations as the form offers them and as people read them. */
public final class Durations {

    /** Choices on the form, in hours: 1 h … 90 days. */
    public static final List<Integer> CHOICES = List.of(1, 2, 4, 8, 24, 72, 168, 720, 2160);

    private Durations() {}

    public static String words(int hours) {
        if (hours % 24 == 0) {
            int days = hours / 24;
            return days == 1 ? "1 day" : days + " days";
        }
        return hours == 1 ? "1 hour" : hours + " hours";
    }
}
