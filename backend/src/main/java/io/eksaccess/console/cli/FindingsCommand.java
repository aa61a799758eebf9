package io.eksaccess.console.cli;

import io.eksaccess.console.accessentry.SyncedAccessEntries;
import io.eksaccess.console.awsauth.AwsAuthParser;
import io.eksaccess.console.awsauth.AwsAuthUnreadableException;
import io.eksaccess.console.report.findings.FindingsEngine;
import io.eksaccess.console.report.findings.FindingsInput;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code findings --from PATH [--aws-auth FILE] [--access-entries FILE] [--json]}: the console's
 * findings engine over a cluster dump, offline (no IAM: AWSAUTH-008 and IRSA-001 report nothing; no
 * EKS DescribeCluster: EKS-001..003 neither). With {@code --access-entries} (the RBAC commands' file)
 * it reports EKS-004 and EKS-005 from the entries; EKS-006 and EKS-007 need EKS's creation dates,
 * the cluster's bootstrap flag and IAM, which the file does not carry.
 * Exit 0 when it ran, whatever it found; 1 when it ran but some files or objects could not be read
 * (listed on stderr, the rest used); 2 on a usage error or unusable input.
 */
final class FindingsCommand implements CliCommand {

    /** Where {@link PreparedCache} looks for its directory and its off switch; tests give their own. */
    Map<String, String> environment = System.getenv();
    static final String USAGE = """
            Usage: java -jar backend/target/eks-access-console.jar findings --from PATH [--aws-auth FILE] [--access-entries FILE] [--json] [--no-cache]
              --from PATH      a manifest file or directory (*.yaml, *.yml, *.json, recursively), e.g. from
                               kubectl get clusterroles,clusterrolebindings,roles,rolebindings,namespaces,serviceaccounts,pods,secrets -A -o yaml
                               (of Secrets only metadata and type are read; their data is dropped unread)
              --aws-auth FILE  the aws-auth ConfigMap (- for stdin); default: kube-system/aws-auth if PATH holds it
              --access-entries FILE
                               the cluster's mode and access entries as JSON, in the EKS API's field names
                               (GET /api/v1/clusters/NAME/access-entries gives it; - for stdin): adds EKS-004, EKS-005
              --json           print {"findings":[{"id","severity","resource","message"}]}
              --no-cache       read PATH afresh and keep nothing (else the read dump is kept in
                               ~/.cache/eks-access-console/prepared, used again only for the very same bytes;
                               EKS_ACCESS_CONSOLE_NO_CACHE=1 does the same)
            Exit codes: 0 it ran (whatever it found), 1 it ran but some input was skipped (see stderr),
            2 usage error or unusable input.""";

    @Override
    public String name() {
        return "findings";
    }

    @Override
    public String summary() {
        return "report the console's best-practice findings over a cluster dump";
    }

    @Override
    public int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
        RbacArgs args;
        RbacManifests.Findings prepared;
        RbacManifests.Dump dump;
        Optional<Map<String, String>> awsAuth;
        Optional<SyncedAccessEntries> accessEntries;
        try {
            args = RbacArgs.parse(argv, Set.of("--from", IamSources.AWS_AUTH, IamSources.ACCESS_ENTRIES, RbacArgs.NO_CACHE));
            if (args.help) {
                out.println(USAGE);
                return ConsoleCli.OK;
            }
            if (!args.positional.isEmpty()) {
                throw new RbacArgs.UsageException("unexpected argument " + args.positional.get(0));
            }
            String from = args.required("--from");
            String awsAuthFile = args.option(IamSources.AWS_AUTH);
            String entriesFile = args.option(IamSources.ACCESS_ENTRIES);
            prepared = RbacManifests.loadFindings(from, PreparedCache.of(environment, args.noCache),
                    awsAuthFile == null && entriesFile == null);
            if ("-".equals(awsAuthFile) && "-".equals(entriesFile)) {
                throw new RbacArgs.UsageException("--aws-auth and --access-entries cannot both read stdin; give one a file");
            }
            if (prepared.answer() != null) {
                // Kept by an earlier call over the same bytes, which read the same aws-auth from the dump.
                return answer(args, prepared.answer(), prepared, out, err);
            }
            dump = prepared.dump();
            awsAuth = awsAuthFile != null ? Optional.of(ConfigMapFile.readData(awsAuthFile, in))
                    : dump.awsAuth().map(FindingsInput::dataOf);
            if (awsAuth.isPresent()) {
                AwsAuthParser.read(awsAuth.get()); // beyond the console's limits: unusable input, not a finding
            }
            // No sync: no EKS timestamps or status, so EKS-006 is not checked (said below).
            accessEntries = entriesFile == null ? Optional.empty() : Optional.of(new SyncedAccessEntries(
                    IamSources.readAccessEntries(entriesFile, in), null, null));
        } catch (RbacArgs.UsageException e) {
            err.println("findings: " + e.getMessage());
            err.println(USAGE);
            return ConsoleCli.USAGE;
        } catch (RbacManifests.UnusableInputException | ConfigMapFile.UnusableInputException e) {
            err.println("findings: " + e.getMessage());
            return ConsoleCli.USAGE;
        } catch (AwsAuthUnreadableException e) {
            err.println("findings: aws-auth could not be read: " + e.getMessage());
            return ConsoleCli.USAGE;
        } catch (RbacCommand.UnusableException e) {
            err.println("findings: " + e.getMessage());
            return ConsoleCli.USAGE;
        }
        FindingsInput input = new FindingsInput(dump.roles(), dump.clusterRoles(), dump.roleBindings(),
                dump.clusterRoleBindings(), dump.namespaces(), dump.serviceAccounts(), dump.pods(),
                dump.secretsIncluded() ? Optional.of(dump.secrets()) : Optional.empty(), awsAuth, Optional.empty(),
                accessEntries);
        FindingsEngine.Evaluation evaluation = FindingsEngine.offline().evaluate(input);
        if (accessEntries.isPresent() && accessEntries.get().entries().mode().readsAccessEntries()) {
            List<String> notChecked = new ArrayList<>(evaluation.notChecked());
            notChecked.add("EKS-006, EKS-007: the access-entries file has no EKS creation dates, bootstrap flag or"
                    + " IAM dates; the console's Findings tab checks them from the synced entries.");
            evaluation = new FindingsEngine.Evaluation(evaluation.findings(), notChecked);
        }
        FindingsAnswer answer = FindingsAnswer.of(evaluation, prepared.objects());
        prepared.keep(accessEntries.isEmpty() && args.option(IamSources.AWS_AUTH) == null ? answer : null);
        return answer(args, answer, prepared, out, err);
    }

    private static int answer(RbacArgs args, FindingsAnswer answer, RbacManifests.Findings prepared, PrintStream out,
            PrintStream err) {
        prepared.problems().forEach(problem -> err.println("findings: skipped " + problem.line()));
        prepared.warnings().forEach(warning -> err.println("findings: warning: " + warning.line()));
        if (args.json) {
            out.println(answer.json());
            answer.notChecked().forEach(note -> err.println("findings: not checked: " + note));
        } else {
            out.print(answer.text());
        }
        return prepared.problems().isEmpty() ? ConsoleCli.OK : ConsoleCli.PROBLEM_FOUND;
    }
}
