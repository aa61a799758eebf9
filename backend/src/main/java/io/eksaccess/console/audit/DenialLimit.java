package io.eksaccess.console.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How many denials one window of time may write to the hash-chained history one by one: at most
 * {@code perSource} per key (an anonymous caller's source address, a signed-in person's subject) and
 * {@code inAll} across all keys. Beyond that a denial is counted, never dropped: the window's count, by
 * key, becomes summary rows when the window is over. Without this, anyone on the network (or any
 * signed-in script) could grow the history (and hold its chain lock) without bound by posting to any
 * URL. Memory is bounded too: at most {@link #MAX_SOURCES} keys are told apart per window.
 */
final class DenialLimit {

    static final int MAX_SOURCES = 10_000;
    static final int LISTED_SOURCES = 20;
    static final int MAX_LISTED_PATH = 100;

    /** What a window did not record one by one; {@code listed}: the busiest keys, at most {@link #LISTED_SOURCES}. */
    record Summary(Instant from, Instant until, long counted, int sources, String bySource, List<Listed> listed) {}

    /** @param label how the key is shown (a person's display name; the key itself for a source address) */
    record Listed(String key, String label, long count, String last) {}

    /** Whose denials these are ("anonymous"), and the configuration's names ("console.audit.anonymous-denials", "source"). */
    private final String who;
    private final String keys;
    private final String per;
    private final int perSource;
    private final int inAll;
    private final Duration window;

    private Instant windowStart;
    private int recorded;
    private final Map<String, Integer> recordedBySource = new HashMap<>();
    private final Map<String, Counted> countedBySource = new HashMap<>();
    private long countedElsewhere; // sources beyond MAX_SOURCES
    private long counted;

    private static final class Counted {
        long count;
        String label;
        String last;
    }

    /** The limit of anonymous denials, per source address. */
    static DenialLimit anonymous(int perSource, int inAll, Duration window) {
        return new DenialLimit("anonymous", "console.audit.anonymous-denials", "source", perSource, inAll, window);
    }

    /** The limit of signed-in people's denials, per person (subject). */
    static DenialLimit signedIn(int perPerson, int inAll, Duration window) {
        return new DenialLimit("signed-in", "console.audit.signed-in-denials", "person", perPerson, inAll, window);
    }

    private DenialLimit(String who, String keys, String per, int perSource, int inAll, Duration window) {
        if (perSource < 1 || inAll < 1) {
            throw new IllegalStateException(keys + "-per-" + per + " and " + keys + "-in-all must be at least 1 (are "
                    + perSource + " and " + inAll + "); they bound how many " + who
                    + " denials are recorded one by one per window");
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalStateException(keys + "-window must be a positive duration (e.g. 1m), not " + window);
        }
        this.who = who;
        this.keys = keys;
        this.per = per;
        this.perSource = perSource;
        this.inAll = inAll;
        this.window = window;
    }

    Duration window() {
        return window;
    }

    /**
     * @return the summary of a window that ended before {@code now} (to be written first), and whether this
     *         denial is to be recorded one by one ({@code true}) or was counted
     */
    synchronized Admission admit(String source, String what, Instant now) {
        return admit(source, source, what, now);
    }

    /** @param label how the key is shown in the summary (the last one given in the window) */
    synchronized Admission admit(String source, String label, String what, Instant now) {
        Optional<Summary> ended = rollTo(now);
        String key = source == null ? "unknown" : source;
        int fromSource = recordedBySource.getOrDefault(key, 0);
        boolean known = fromSource > 0 || recordedBySource.size() < MAX_SOURCES;
        if (known && fromSource < perSource && recorded < inAll) {
            recordedBySource.put(key, fromSource + 1);
            recorded++;
            return new Admission(ended, true, false);
        }
        boolean first = counted == 0;
        counted++;
        Counted c = countedBySource.get(key);
        if (c == null && countedBySource.size() >= MAX_SOURCES) {
            countedElsewhere++;
        } else {
            if (c == null) {
                c = new Counted();
                countedBySource.put(key, c);
            }
            c.count++;
            c.label = label == null ? key : label;
            c.last = what.length() <= MAX_LISTED_PATH ? what : what.substring(0, MAX_LISTED_PATH) + "…";
        }
        return new Admission(ended, false, first);
    }

    /** @param firstCounted the first denial this window counted instead of recording (worth one log line) */
    record Admission(Optional<Summary> ended, boolean record, boolean firstCounted) {}

    /** The summary of the window if it is over by {@code now} and counted anything. */
    synchronized Optional<Summary> ended(Instant now) {
        return rollTo(now);
    }

    /** The current window's summary, whether or not it is over (at shutdown). */
    synchronized Optional<Summary> drain(Instant now) {
        Optional<Summary> summary = summary(now);
        reset(windowStart(now));
        return summary;
    }

    synchronized Instant windowEnd(Instant now) {
        return (windowStart == null ? windowStart(now) : windowStart).plus(window);
    }

    private Optional<Summary> rollTo(Instant now) {
        Instant start = windowStart(now);
        if (windowStart != null && windowStart.equals(start)) {
            return Optional.empty();
        }
        Optional<Summary> summary = windowStart == null ? Optional.empty() : summary(windowStart.plus(window));
        reset(start);
        return summary;
    }

    private Optional<Summary> summary(Instant until) {
        if (counted == 0) {
            return Optional.empty();
        }
        List<Map.Entry<String, Counted>> listed = countedBySource.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, Counted> e) -> e.getValue().count).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(LISTED_SOURCES)
                .toList();
        String bySource = listed.stream()
                .map(e -> e.getKey() + " ×" + e.getValue().count + " (last: " + e.getValue().last + ")")
                .collect(Collectors.joining(", "));
        long inListed = listed.stream().mapToLong(e -> e.getValue().count).sum();
        if (counted > inListed) {
            bySource += (bySource.isEmpty() ? "" : ", ") + "and " + (counted - inListed) + " from "
                    + (countedElsewhere > 0 ? "more than " : "") + (countedBySource.size() - listed.size())
                    + " other sources";
        }
        int sources = countedBySource.size() + (countedElsewhere > 0 ? 1 : 0);
        return Optional.of(new Summary(windowStart, until, counted, sources, bySource, listed.stream()
                .map(e -> new Listed(e.getKey(), e.getValue().label, e.getValue().count, e.getValue().last)).toList()));
    }

    private void reset(Instant start) {
        windowStart = start;
        recorded = 0;
        counted = 0;
        countedElsewhere = 0;
        recordedBySource.clear();
        countedBySource.clear();
    }

    private Instant windowStart(Instant now) {
        long millis = window.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), millis) * millis);
    }

    /** The summary's details, as the audit row keeps them. */
    Map<String, String> details(Summary summary) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", who + " denials beyond the limit, counted instead of recorded one by one");
        details.put("counted", Long.toString(summary.counted()));
        details.put("sources", Integer.toString(summary.sources()));
        details.put("bySource", summary.bySource());
        details.put("from", summary.from().toString());
        details.put("until", summary.until().toString());
        details.put("limit", limitInWords());
        return details;
    }

    /** "20 per person and 200 in all per PT1M (console.audit.signed-in-denials-*)" */
    String limitInWords() {
        return perSource + " per " + per + " and " + inAll + " in all per " + window + " (" + keys + "-*)";
    }

    int perSource() {
        return perSource;
    }

    int inAll() {
        return inAll;
    }
}
