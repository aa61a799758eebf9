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
}
