package io.eksaccess.console.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.audit.AuditChainVerifier;
import io.eksaccess.console.audit.AuditVerificationContext;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.system.StartupFailureAnalyzer;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code audit verify [--json]}: checks the whole audit hash chain in the configured database
 * (Spring options such as {@code --spring.datasource.url=…} may follow) and names the first
 * broken row, or the rows missing after a recorded head (checkpoints, reports, attestations). An
 * intact history's head is recorded as a checkpoint. Exit 0 intact, 1 broken, 2 usage error or
 * database unreachable.
 */
final class AuditCommand implements CliCommand {

    @Override
    public String name() {
        return "audit";
    }

    @Override
    public String summary() {
        return "verify [--json]: check the audit history's hash chain in the configured database";
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("verify")) {
            err.println("Usage: audit verify [--json] [--spring.datasource.url=… and other settings]");
            return ConsoleCli.USAGE;
        }
        boolean json = false;
        List<String> springArgs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = true;
            } else if (args[i].startsWith("--") && args[i].contains("=")) {
                springArgs.add(args[i]);
            } else {
                err.println("audit verify: unknown argument '" + args[i] + "'");
                return ConsoleCli.USAGE;
            }
        }
        AuditChainVerifier.Result result;
        // stdout carries the answer only (--json: one JSON line). Spring's console log writes to
        // System.out, and a failed start logs a multi-line report: logging is off, a failure is
        // the one line below, and anything else printed meanwhile goes to stderr.
        PrintStream systemOut = System.out;
        System.setOut(err);
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AuditVerificationContext.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=OFF", "spring.main.register-shutdown-hook=false")
                .run(springArgs.toArray(String[]::new))) {
            result = context.getBean(AuditChainVerifier.class).verifyAndCheckpoint("audit verify");
        } catch (RuntimeException e) {
            StandardEnvironment settings = new StandardEnvironment();
            settings.getPropertySources().addFirst(new SimpleCommandLinePropertySource(springArgs.toArray(String[]::new)));
            FailureAnalysis analysis = new StartupFailureAnalyzer(settings).analyze(e);
            err.println("audit verify: " + (analysis != null ? analysis.getDescription() + " " + analysis.getAction()
                    : "the audit history could not be read: " + Echo.message(rootMessage(e))));
            return ConsoleCli.USAGE;
        } finally {
            System.setOut(systemOut);
        }
        if (json) {
            out.println(json(result));
        } else if (result.intact()) {
            out.println("Audit history intact: " + result.rows() + " rows, every hash and link checked"
                    + (result.head() == null ? ""
                            : "; newest row " + result.head().sequence() + " " + result.head().hash())
                    + (result.anchors() == 0 ? "." : "; " + result.anchors()
                            + " recorded heads (checkpoints, reports, attestations) match."));
        } else {
            out.println("Audit history BROKEN at row " + result.firstBrokenSequence() + ": " + result.problem()
                    + " (" + result.rows() + " rows checked).");
        }
        return result.intact() ? ConsoleCli.OK : ConsoleCli.PROBLEM_FOUND;
    }

    /** The result, the head found and the newest recorded head it was compared with. */
    private static String json(AuditChainVerifier.Result result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("intact", result.intact());
        json.put("rows", result.rows());
        if (!result.intact()) {
            json.put("firstBrokenSequence", result.firstBrokenSequence());
            json.put("problem", result.problem());
        }
        if (result.head() != null) {
            json.put("head", result.head());
        }
        json.put("anchorsCompared", result.anchors());
        if (result.newestAnchor() != null) {
            json.put("newestAnchor", result.newestAnchor());
        }
        json.put("checkpointRecorded", result.checkpointed());
        try {
            return new ObjectMapper().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
