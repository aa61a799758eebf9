package io.eksaccess.console.testsupport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a command wrote to the process's own System.out/err, less the log lines other threads of the
 * test JVM wrote meanwhile (a Spring context of an earlier test class still runs its schedulers;
 * an embedded PostgreSQL's output reader logs its start): those reach the same streams, and whether
 * they fall into the captured window depends only on timing and test order.
 */
public final class ThisThreadsOutput {

    /** Spring Boot's console line: time, level, pid, "---", [application], [thread], logger. */
    private static final Pattern LOG_LINE =
            Pattern.compile("^\\S+\\s+(?:TRACE|DEBUG|INFO|WARN|ERROR)\\s+\\d+ --- \\[[^\\]]*\\] \\[\\s*([^\\]]*)\\] .*");

    /** The lines logback prints after an entry that carries a throwable (blank, header, frames, causes). */
    private static final Pattern STACK_TRACE = Pattern.compile(
            "^(|\\s+at .*|\\s*\\.\\.\\. \\d+ (more|common frames omitted).*|\\s*(Caused by|Suppressed): .*"
                    + "|[\\w.$]+(Exception|Error|Throwable)(: .*)?)$");

    private ThisThreadsOutput() {}

    public static String of(String captured) {
        String me = Thread.currentThread().getName();
        String shown = me.length() <= 15 ? me : me.substring(me.length() - 15); // logback's %15.15t
        StringBuilder kept = new StringBuilder();
        boolean inOthersEntry = false;
        for (String line : (Iterable<String>) captured.lines()::iterator) {
            Matcher log = LOG_LINE.matcher(line);
            if (log.matches()) {
                inOthersEntry = !log.group(1).strip().equals(shown);
            } else if (!(inOthersEntry && STACK_TRACE.matcher(line).matches())) {
                inOthersEntry = false;
            }
            if (!inOthersEntry) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }
}
