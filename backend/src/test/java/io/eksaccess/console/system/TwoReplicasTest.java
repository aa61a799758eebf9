package io.eksaccess.console.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.ConsoleApplication;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.FreePorts;
import io.eksaccess.console.testsupport.MotoServer;
import io.eksaccess.console.testsupport.RunsAlongside;
import io.eksaccess.console.testsupport.SignIn;
import io.eksaccess.console.testsupport.TestInfra;
import io.eksaccess.console.testsupport.TestPostgres;
import io.eksaccess.console.testsupport.TestProcess;
import io.eksaccess.console.testsupport.WebSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two console processes on one PostgreSQL, as the Helm chart runs them: a person signed in
 * through one stays signed in on the other when the first dies, and a scheduled job runs on
 * exactly one replica per period.
 */
@RunsAlongside(seconds = 17)
class TwoReplicasTest {

    private static final Pattern RUN = Pattern.compile("job=eks-discovery period=(\\S+) replica=\\S+ decision=run");

    @Test
    void sessionsSurviveAReplicaAndJobsRunOncePerPeriod() throws Exception {
        String database = TestPostgres.newEmptyDatabase(); // A migrates it, as the first replica of a release does
        MotoServer moto = MotoServer.get();
        TestProcess a = replica("a", database, moto);
        TestProcess b = null;
        try {
            int portA = port(a);
            a.awaitHttp("http://localhost:" + portA + "/actuator/health/readiness", s -> s == 200, Duration.ofSeconds(90));
            // B starts after A has migrated the schema.
            b = replica("b", database, moto);
            int portB = port(b);
            b.awaitHttp("http://localhost:" + portB + "/actuator/health/readiness", s -> s == 200, Duration.ofSeconds(90));

            WebSession browser = new WebSession();
            SignIn.viaDemoIssuer(browser, "http://localhost:" + portA, "approver");
            a.close(); // replica A dies
            WebSession.Page onB = browser.get("http://localhost:" + portB + "/");
            assertThat(onB.status()).isEqualTo(200);
            assertThat(onB.html().select("[data-testid=current-user]").text()).isEqualTo("Abe Approver");

            // A few more 1-second windows with only B alive: polled, not slept, so a slow machine waits longer.
            int claimedWhenADied = claimedPeriods(database).size();
            List<String> periods = Eventually.await("B claiming windows alone", Duration.ofSeconds(60),
                    () -> claimedPeriods(database), p -> p.size() >= claimedWhenADied + 2 && p.size() > 3);
            assertThat(periods).as("the job ran").hasSizeGreaterThan(3);
            List<String> runs = new ArrayList<>();
            runs.addAll(runsIn(a.log()));
            runs.addAll(runsIn(b.log()));
            assertThat(runs).as("one run per period across both replicas").doesNotHaveDuplicates();
            assertThat(runs).containsExactlyInAnyOrderElementsOf(periodsAsLogged(periods, runs));
            assertThat(Files.readString(a.log()) + Files.readString(b.log()))
                    .as("the other replica saw the claim and skipped").contains("decision=skip");
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    private static TestProcess replica(String name, String database, MotoServer moto) {
        int port = FreePorts.next();
        Path dir = TestInfra.freshDir("replica-" + name + "-");
        return TestProcess.start("replica-" + name + "-" + port, List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // A short-lived replica: C1 only and the serial collector start it with far less CPU
                // (the machine runs the rest of the suite beside it); what is tested is unaffected.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                ConsoleApplication.class.getName(),
                "--server.port=" + port,
                "--spring.datasource.url=" + database,
                "--console.data-dir=" + dir,
                "--console.clusters.kubeconfig=" + dir.resolve("none"),
                "--console.replica-id=" + name,
                "--console.clusters.eks.regions=eu-west-1",
                "--console.clusters.eks.endpoint-override=" + moto.endpoint(),
                "--console.clusters.eks.discovery-interval=1s",
                "--console.clusters.eks.discovery-check=200ms",
                "--logging.level.io.eksaccess.console.system.ScheduledJobs=DEBUG"), dir,
                Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
    }

    private static int port(TestProcess process) {
        Matcher matcher = Pattern.compile("replica-\\w+-(\\d+)\\.log").matcher(process.log().getFileName().toString());
        assertThat(matcher.matches()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static List<String> claimedPeriods(String database) {
        List<String> periods = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(database);
                ResultSet rs = connection.createStatement().executeQuery(
                        "SELECT period_start FROM scheduled_job_runs WHERE job = 'eks-discovery' ORDER BY period_start")) {
            while (rs.next()) {
                periods.add(rs.getTimestamp(1).toInstant().toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return periods;
    }

    private static List<String> runsIn(Path log) throws IOException {
        List<String> runs = new ArrayList<>();
        Matcher matcher = RUN.matcher(Files.readString(log));
        while (matcher.find()) {
            runs.add(matcher.group(1));
        }
        return runs;
    }

    /** The claimed periods that the logs had time to mention (the newest claim may not be logged yet). */
    private static List<String> periodsAsLogged(List<String> periods, List<String> runs) {
        return periods.stream().filter(runs::contains).toList();
    }
}
