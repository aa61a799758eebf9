package io.eksaccess.console.apply;

import io.eksaccess.console.awsauth.AwsAuthConfig;
import io.eksaccess.console.awsauth.AwsAuthParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests that would undo a drift, principal by principal: a mapping that appeared is
 * unmapped; one that disappeared or changed is mapped again as it was. They link to the request
 * form, prefilled ({@code /requests/new?cluster=…&kind=…&arn=…&username=…&groups=a,b}).
 */
final class RevertLinks {

    private record Entry(String arn, String username, List<String> groups) {}

    private RevertLinks() {}

    static List<DriftEvent.RevertLink> of(String cluster, Map<String, String> before, Map<String, String> after) {
        AwsAuthConfig was = AwsAuthParser.parse(before);
        AwsAuthConfig now = AwsAuthParser.parse(after);
        List<DriftEvent.RevertLink> links = new ArrayList<>();
        compare(cluster, roles(was), roles(now), "ROLE", links);
        compare(cluster, users(was), users(now), "USER", links);
        List<String> accountsBefore = was.accounts().stream().map(a -> a.accountId()).toList();
        List<String> accountsAfter = now.accounts().stream().map(a -> a.accountId()).toList();
        accountsAfter.stream().filter(a -> !accountsBefore.contains(a)).distinct()
                .forEach(a -> links.add(link(cluster, "UNMAP_ACCOUNT", new Entry(a, null, List.of()))));
        accountsBefore.stream().filter(a -> !accountsAfter.contains(a)).distinct()
                .forEach(a -> links.add(link(cluster, "MAP_ACCOUNT", new Entry(a, null, List.of()))));
        return links;
    }

    private static void compare(String cluster, Map<String, Entry> before, Map<String, Entry> after, String noun,
            List<DriftEvent.RevertLink> links) {
        after.forEach((key, entry) -> {
            if (!before.containsKey(key)) {
                links.add(link(cluster, "UNMAP_" + noun, new Entry(entry.arn(), null, List.of())));
            }
        });
        before.forEach((key, entry) -> {
            if (!entry.equals(after.get(key))) {
                links.add(link(cluster, "MAP_" + noun, entry));
            }
        });
    }

    /** The entry that wins per ARN (the authenticator keeps the last one); SSO patterns are left to people. */
    private static Map<String, Entry> roles(AwsAuthConfig config) {
        Map<String, Entry> roles = new LinkedHashMap<>();
        config.roles().stream().filter(r -> !r.roleArn().isEmpty())
                .forEach(r -> roles.put(r.roleArn().toLowerCase(java.util.Locale.ROOT),
                        new Entry(r.roleArn(), r.username(), r.groups())));
        return roles;
    }

    private static Map<String, Entry> users(AwsAuthConfig config) {
        Map<String, Entry> users = new LinkedHashMap<>();
        config.users().forEach(u -> users.put(u.userArn().toLowerCase(java.util.Locale.ROOT),
                new Entry(u.userArn(), u.username(), u.groups())));
        return users;
    }

    private static DriftEvent.RevertLink link(String cluster, String kind, Entry entry) {
        StringBuilder href = new StringBuilder("/requests/new?cluster=").append(encode(cluster))
                .append("&kind=").append(kind).append("&arn=").append(encode(entry.arn()));
        if (entry.username() != null) {
            href.append("&username=").append(encode(entry.username()))
                    .append("&groups=").append(encode(String.join(",", entry.groups())));
        }
        return new DriftEvent.RevertLink(kind, entry.arn(), href.toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
