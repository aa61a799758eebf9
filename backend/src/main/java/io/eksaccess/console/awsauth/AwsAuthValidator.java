package io.eksaccess.console.awsauth;

import io.eksaccess.console.awsauth.goyaml.GoStrings;
import io.eksaccess.console.awsauth.goyaml.Echo;
import io.eksaccess.console.system.Sentence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The AWSAUTH-* rules of FINDINGS.md over a parsed aws-auth. */
public final class AwsAuthValidator {

    private static final String MASTERS = "system:masters";

    private final IamPrincipalLookup iam;

    public AwsAuthValidator(IamPrincipalLookup iam) {
        this.iam = iam;
    }

    /** Offline: AWSAUTH-008 cannot tell, so it reports nothing. */
    public static AwsAuthValidator offline() {
        return new AwsAuthValidator(IamPrincipalLookup.NONE);
    }

    public List<Finding> validate(AwsAuthConfig config) {
        List<Finding> findings = new ArrayList<>();
        for (EntryError error : config.errors()) {
            findings.add(new Finding("AWSAUTH-001", Severity.CRITICAL, error.section(), error.index(),
                    error.message() + ". Fix the entry so the authenticator reads it as intended."));
        }
        for (RoleMapping role : config.roles()) {
            checkMasters(role.groups(), Section.MAP_ROLES, role.index(), findings);
            checkRoleArn(role, findings);
            checkSessionName(role, findings);
            checkTemplates(role.username(), role.groups(), Section.MAP_ROLES, role.index(), findings);
            checkExists(role.roleArn(), Section.MAP_ROLES, role.index(), findings);
        }
        for (UserMapping user : config.users()) {
            checkMasters(user.groups(), Section.MAP_USERS, user.index(), findings);
            findings.add(new Finding("AWSAUTH-003", Severity.MEDIUM, Section.MAP_USERS, user.index(),
                    "IAM user " + Echo.of(user.userArn()) + " is mapped directly. Map an IAM role that these people assume"
                            + " instead, with {{SessionName}} in its username."));
            checkUserArn(user, findings);
            checkTemplates(user.username(), user.groups(), Section.MAP_USERS, user.index(), findings);
            checkExists(user.userArn(), Section.MAP_USERS, user.index(), findings);
        }
        checkDuplicates(config, findings);
        for (AccountMapping account : config.accounts()) {
            findings.add(new Finding("AWSAUTH-009", Severity.HIGH, Section.MAP_ACCOUNTS, account.index() < 0 ? null : account.index(),
                    "every IAM principal of account '" + Echo.of(account.accountId()) + "' can sign in (as its own ARN)."
                            + " Remove it from mapAccounts and map the roles that need access."));
        }
        return findings;
    }

    private static void checkMasters(List<String> groups, Section section, int index, List<Finding> findings) {
        if (groups.contains(MASTERS)) {
            findings.add(new Finding("AWSAUTH-002", Severity.HIGH, section, index,
                    "the entry grants system:masters, which no RBAC rule can limit. Bind a narrower ClusterRole to"
                            + " a group of your own and map that group instead."));
        }
    }

    private static boolean isNodeRole(RoleMapping role) {
        return role.groups().contains("system:nodes") || role.groups().contains("system:bootstrappers");
    }

    private static void checkSessionName(RoleMapping role, List<Finding> findings) {
        if (!isNodeRole(role) && !role.username().contains("{{SessionName}}")
                && !role.username().contains("{{SessionNameRaw}}")) {
            findings.add(new Finding("AWSAUTH-004", Severity.MEDIUM, Section.MAP_ROLES, role.index(),
                    "username '" + Echo.of(role.username()) + "' does not contain {{SessionName}}, so the audit log cannot"
                            + " tell who used the role. Use e.g. '" + Echo.of(suggestedUsername(role)) + "'."));
        }
    }

    private static String suggestedUsername(RoleMapping role) {
        String base = role.username().isEmpty() ? "user" : role.username();
        return base + ":{{SessionName}}";
    }

    private static void checkRoleArn(RoleMapping role, List<Finding> findings) {
        if (role.sso() != null) {
            if (!role.sso().partition().isEmpty()) {
                findings.add(new Finding("AWSAUTH-005", Severity.HIGH, Section.MAP_ROLES, role.index(),
                        "an sso entry with a partition ('" + Echo.of(role.sso().partition()) + "') never matches: the"
                                + " authenticator then builds the pattern '" + Echo.of(role.ssoArnLike()) + "'. Remove"
                                + " 'partition' (it defaults to aws) or map the role ARN instead."));
            } else {
                findings.add(new Finding("AWSAUTH-005", Severity.HIGH, Section.MAP_ROLES, role.index(),
                        "sso entries match only when the authenticator runs with --feature-gates=SSORoleMatch=true"
                                + " (alpha, off by default). Map the permission set's role by its ARN without the"
                                + " aws-reserved/sso.amazonaws.com/… path instead."));
            }
            return;
        }
        Sentence problem = mappingArnProblem(role.roleArn(), Section.MAP_ROLES);
        if (problem != null) {
            findings.add(new Finding("AWSAUTH-005", Severity.HIGH, Section.MAP_ROLES, role.index(), problem.text()));
        }
    }

    private static void checkUserArn(UserMapping user, List<Finding> findings) {
        Sentence problem = mappingArnProblem(user.userArn(), Section.MAP_USERS);
        if (problem != null) {
            findings.add(new Finding("AWSAUTH-005", Severity.HIGH, Section.MAP_USERS, user.index(), problem.text()));
        }
    }

    /**
     * Why an ARN in mapRoles or mapUsers can never match a caller (spaces, not an IAM ARN of that kind,
     * an assumed-role session ARN, a role path), or null. The one check both for filing a mapping and for
     * applying it (AWSAUTH-005), so a request is refused when it is filed, in the same words.
     */
    public static Sentence mappingArnProblem(String arn, Section section) {
        String expected = section == Section.MAP_ROLES ? "role" : "user";
        if (!arn.equals(GoStrings.trimSpace(arn))) {
            return Sentence.of("text.awsauth.arn-spaces", Echo.of(arn));
        }
        CallerArn parsed;
        try {
            parsed = CallerArn.canonicalize(arn);
        } catch (IllegalArgumentException e) {
            return Sentence.of("text.awsauth.arn-invalid", Echo.of(arn), expected, Echo.message(e.getMessage()));
        }
        if (parsed.type() == CallerArn.PrincipalType.ASSUMED_ROLE) {
            return Sentence.of("text.awsauth.arn-assumed-role", Echo.of(arn), Echo.of(parsed.canonicalArn()));
        }
        boolean fits = expected.equals("role") ? parsed.type() == CallerArn.PrincipalType.ROLE
                : parsed.type() == CallerArn.PrincipalType.USER || parsed.type() == CallerArn.PrincipalType.ROOT;
        if (!fits) {
            return Sentence.of("text.awsauth.arn-wrong-section", Echo.of(arn), expected);
        }
        String resource = arn.split(":", 6)[5];
        if (expected.equals("role") && resource.indexOf('/', 5) > 0) {
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            return Sentence.of("text.awsauth.arn-role-path", Echo.of(arn), arn.substring(0, arn.indexOf(":role/") + 6) + name);
        }
        return null;
    }

    private static void checkTemplates(String username, List<String> groups, Section section, int index,
            List<Finding> findings) {
        if (username.contains("{{AccessKeyID}}")) {
            findings.add(new Finding("AWSAUTH-007", Severity.HIGH, section, index,
                    "the username contains {{AccessKeyID}}, which puts access key IDs into usernames and audit logs."
                            + " Use {{SessionName}} instead."));
        }
        boolean nodeGroups = groups.contains("system:nodes") || groups.contains("system:bootstrappers");
        boolean usesDnsName = username.contains("{{EC2PrivateDNSName}}")
                || groups.stream().anyMatch(g -> g.contains("{{EC2PrivateDNSName}}"));
        if (usesDnsName && (section != Section.MAP_ROLES || !nodeGroups)) {
            findings.add(new Finding("AWSAUTH-007", Severity.HIGH, section, index,
                    "{{EC2PrivateDNSName}} belongs only to node roles in system:nodes/system:bootstrappers; any other"
                            + " caller is refused at sign-in. Use {{SessionName}} instead."));
        }
    }

    private void checkExists(String arn, Section section, int index, List<Finding> findings) {
        if (arn.isEmpty()) {
            return;
        }
        if (iam.lookup(arn) == IamPrincipalLookup.Existence.MISSING) {
            findings.add(new Finding("AWSAUTH-008", Severity.MEDIUM, section, index,
                    "'" + Echo.of(arn) + "' does not exist in IAM (deleted, or a typo). Fix the ARN or remove the entry."));
        }
    }

    private static void checkDuplicates(AwsAuthConfig config, List<Finding> findings) {
        Map<String, List<RoleMapping>> roles = new LinkedHashMap<>();
        config.roles().forEach(r -> roles.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        roles.values().stream().filter(list -> list.size() > 1).forEach(list -> {
            RoleMapping winner = list.get(list.size() - 1);
            for (RoleMapping loser : list.subList(0, list.size() - 1)) {
                findings.add(new Finding("AWSAUTH-006", Severity.HIGH, Section.MAP_ROLES, loser.index(),
                        "'" + Echo.of(loser.displayArn()) + "' is mapped again at mapRoles[" + winner.index() + "] (ARNs compare"
                                + " case-insensitively); the authenticator uses only the last one. Merge them into one entry."));
            }
        });
        Map<String, List<UserMapping>> users = new LinkedHashMap<>();
        config.users().forEach(u -> users.computeIfAbsent(GoStrings.toLower(u.userArn()), k -> new ArrayList<>()).add(u));
        users.values().stream().filter(list -> list.size() > 1).forEach(list -> {
            boolean sameSpelling = list.stream().map(UserMapping::userArn).distinct().count() == 1;
            for (UserMapping user : list.subList(0, list.size() - 1)) {
                findings.add(new Finding("AWSAUTH-006", Severity.HIGH, Section.MAP_USERS, user.index(),
                        "'" + Echo.of(user.userArn()) + "' is mapped more than once; " + (sameSpelling
                                ? "the authenticator uses only the last one."
                                : "spelled with different case, the authenticator picks one of them at random.")
                                + " Keep one entry."));
            }
        });
        for (UserMapping user : config.users()) {
            String subject = GoStrings.toLower(user.userArn());
            config.roles().stream().filter(r -> !r.roleArn().isEmpty() && GoStrings.equalFold(r.roleArn(), subject))
                    .findFirst()
                    .ifPresent(role -> findings.add(new Finding("AWSAUTH-006", Severity.HIGH, Section.MAP_USERS,
                            user.index(), "'" + Echo.of(user.userArn()) + "' is also in mapRoles[" + role.index()
                                    + "], which wins. Keep one entry.")));
        }
    }
}
