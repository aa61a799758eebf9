package io.eksaccess.console.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThisThreadsOutputTest {

    @Test
    void dropsOnlyOtherThreadsLogLines() {
        String me = Thread.currentThread().getName();
        String mine = "2026-12-06T19:38:12.896Z  INFO 27202 --- [eks-access-console] [%15s] i.e.c.Some : mine"
                .formatted(me.length() <= 15 ? me : me.substring(me.length() - 15));
        String captured = """
                2026-12-06T19:38:12.896Z  INFO 27202 --- [eks-access-console] [   scheduling-1] i.e.c.s.ScheduledJobs : run
                2026-12-06T19:38:17.991Z  INFO 27202 --- [eks-access-console] [stgres:pid(737)] i.z.t.d.p.e.EmbeddedPostgres : done
                WARNING: a library's own line
                """ + mine + "\n";
        assertThat(ThisThreadsOutput.of(captured)).isEqualTo("WARNING: a library's own line\n" + mine + "\n");
    }

    @Test
    void dropsTheStackTraceOfAnotherThreadsEntryButNotWhatFollowsIt() {
        String captured = """
                2026-12-06T21:50:02.100Z  WARN 27202 --- [eks-access-console] [   scheduling-1] i.e.c.c.ClusterCache : unreachable

                java.util.concurrent.CompletionException: java.net.ConnectException
                	at java.base/java.util.concurrent.CompletableFuture.encodeRelay(CompletableFuture.java:368) ~[na:na]
                Caused by: java.net.ConnectException
                	at java.net.http/jdk.internal.net.http.common.Utils.toConnectException(Utils.java:1083) ~[java.net.http:na]
                	... 5 common frames omitted
                Exception in thread "main" printed by the command itself
                """;
        assertThat(ThisThreadsOutput.of(captured)).isEqualTo("Exception in thread \"main\" printed by the command itself\n");
    }
}
