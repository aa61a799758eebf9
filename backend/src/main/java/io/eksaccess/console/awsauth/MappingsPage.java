package io.eksaccess.console.awsauth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the Mappings tab shows for one aws-auth ConfigMap: a row per mapping the authenticator
 * keeps (in its lookup order: mapRoles, mapUsers, mapAccounts) with the findings about it, the
 * errors it reports, and the raw sections line by line.
 */
record MappingsPage(List<Row> rows, List<ErrorRow> errors, List<YamlSection> yaml, List<Finding> findings,
        AwsAuthConfig config) {

    enum Kind { ROLE, USER, ACCOUNT }

    /**
     * One mapping. {@code anchor} is the row's id ("mapRoles-0"); {@code sso} marks a role given by
     * its SSO permission set; {@code username} is null for accounts (they sign in as their ARN).
     */
    record Row(String anchor, Kind kind, boolean sso, Section section, int index, SourceLines lines, String arn,
            String username, List<String> groups, List<Finding> findings) {

        boolean matches(String needle) {
            return Stream.concat(Stream.of(kind.name(), section.key(), arn, username == null ? "" : username,
                                    sso ? "sso" : ""),
                            Stream.concat(groups.stream(), findings.stream().flatMap(f -> Stream.of(f.id(), f.severity().label()))))
                    .anyMatch(text -> text.toLowerCase(Locale.ROOT).contains(needle));
        }

        /** "mapRoles[0]", or the section alone for padding go-yaml adds. */
        public String source() {
            return index >= 0 ? section.key() + "[" + index + "]" : section.key();
        }

        /** The row's first line in the raw YAML. */
        public String yamlAnchor() {
            return MappingsPage.yamlAnchor(section.key(), lines == null ? 1 : lines.first());
        }

        /** The request kind that maps this principal anew ("request a change"); null where requests cannot (SSO, accounts). */
        public String changeKind() {
            return sso || kind == Kind.ACCOUNT ? null : "MAP_" + kind.name();
        }

        /** The request kind that removes this mapping; null for SSO entries (requests name ARNs). */
        public String removalKind() {
            return sso ? null : "UNMAP_" + kind.name();
        }

        /** The most severe finding's severity, for the row's outline; null without findings. */
        public Severity worst() {
            return findings.stream().map(Finding::severity).min(Comparator.naturalOrder()).orElse(null);
        }
    }

    /** Something the authenticator reports; {@code dropped}: it ignores the entry. */
    record ErrorRow(EntryError error, Finding finding) {
        public String anchor() {
            return yamlAnchor(error.section().key(), error.lines() == null ? 1 : error.lines().first());
        }
    }

    record YamlLine(int number, String text, String anchor, boolean dropped) {}

    record YamlSection(String key, List<YamlLine> lines) {}

    static MappingsPage of(AwsAuthConfig config, List<Finding> findings) {
        List<Row> rows = new ArrayList<>();
        for (RoleMapping role : config.roles()) {
            rows.add(new Row(anchor(Section.MAP_ROLES, role.index()), Kind.ROLE, role.sso() != null, Section.MAP_ROLES,
                    role.index(), role.lines(), role.displayArn(), role.username(), role.groups(),
                    about(findings, Section.MAP_ROLES, role.index())));
        }
        for (UserMapping user : config.users()) {
            rows.add(new Row(anchor(Section.MAP_USERS, user.index()), Kind.USER, false, Section.MAP_USERS,
                    user.index(), user.lines(), user.userArn(), user.username(), user.groups(),
                    about(findings, Section.MAP_USERS, user.index())));
        }
        for (AccountMapping account : config.accounts()) {
            Integer index = account.index() < 0 ? null : account.index();
            rows.add(new Row(anchor(Section.MAP_ACCOUNTS, account.index()), Kind.ACCOUNT, false, Section.MAP_ACCOUNTS,
                    account.index(), account.lines(), account.accountId(), null, List.of(),
                    about(findings, Section.MAP_ACCOUNTS, index)));
        }
        List<ErrorRow> errors = config.errors().stream()
                .map(error -> new ErrorRow(error, findings.stream()
                        .filter(f -> f.blocking() && f.section() == error.section() && Objects.equals(f.index(), error.index()))
                        .findFirst().orElse(null)))
                .toList();
        List<YamlSection> yaml = new ArrayList<>();
        for (Section section : Section.values()) {
            String text = config.data().get(section.key());
            if (text != null) {
                yaml.add(new YamlSection(section.key(), lines(section, text, config.errors())));
            }
        }
        return new MappingsPage(rows, errors, yaml, findings, config);
    }

    /** The rows whose text (kind, ARN, username, groups, finding IDs) contains the query, of the kind if given. */
    List<Row> filter(String query, Kind kind) {
        String needle = query.trim().toLowerCase(Locale.ROOT);
        return rows.stream()
                .filter(row -> kind == null || row.kind() == kind)
                .filter(row -> needle.isEmpty() || row.matches(needle))
                .toList();
    }

    Optional<Row> row(Section section, int index) {
        return rows.stream().filter(row -> row.section() == section && row.index() == index).findFirst();
    }

    /** Findings per severity, for the summary line. */
    Map<Severity, Long> countBySeverity() {
        Map<Severity, Long> counts = new java.util.EnumMap<>(Severity.class);
        findings.forEach(f -> counts.merge(f.severity(), 1L, Long::sum));
        return counts;
    }

    static String anchor(Section section, int index) {
        return section.key() + "-" + (index < 0 ? "x" : String.valueOf(index));
    }

    static String yamlAnchor(String key, int line) {
        return "yaml-" + key + "-L" + line;
    }

    private static List<Finding> about(List<Finding> findings, Section section, Integer index) {
        return findings.stream()
                .filter(f -> f.section() == section && Objects.equals(f.index(), index))
                .sorted(Comparator.comparing(Finding::severity).thenComparing(Finding::id))
                .toList();
    }

    private static List<YamlLine> lines(Section section, String text, List<EntryError> errors) {
        String[] split = text.split("\n", -1);
        int count = split.length > 1 && split[split.length - 1].isEmpty() ? split.length - 1 : split.length;
        List<YamlLine> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int number = i + 1;
            boolean dropped = errors.stream().anyMatch(e -> e.section() == section && e.dropped() && e.lines() != null
                    && e.lines().first() <= number && number <= e.lines().last());
            lines.add(new YamlLine(number, split[i], yamlAnchor(section.key(), number), dropped));
        }
        return lines;
    }
}
