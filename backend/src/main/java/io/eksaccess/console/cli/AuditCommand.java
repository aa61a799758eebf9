package io.eksaccess.console.cli;

import io.eksaccess.console.audit.AuditChainVerifier;
import io.eksaccess.console.audit.AuditVerificationContext;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.system.StartupFailureAnalyzer;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
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
 * broken row. Exit 0 intact, 1 broken, 2 usage error or database unreachable.
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
            result = context.getBean(AuditChainVerifier.class).verify();
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
            out.println(result.intact()
                    ? "{\"intact\":true,\"rows\":" + result.rows() + "}"
                    : "{\"intact\":false,\"rows\":" + result.rows() + ",\"firstBrokenSequence\":" + result.firstBrokenSequence()
                            + ",\"problem\":\"" + result.problem().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
        } else if (result.intact()) {
            out.println("Audit history intact: " + result.rows() + " rows, every hash and link checked.");
        } else {
            out.println("Audit history BROKEN at row " + result.firstBrokenSequence() + ": " + result.problem()
                    + " (" + result.rows() + " rows checked).");
        }
        return result.intact() ? ConsoleCli.OK : ConsoleCli.PROBLEM_FOUND;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
