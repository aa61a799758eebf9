package io.eksaccess.console.identity.demo;

import java.util.List;
import java.util.Optional;

/**
 * The demo issuer's people: one per console role, each in the OIDC group that the default
 * {@code console.roles.*} settings map to that role. Their password is public, by design.
 */
public final class DemoPeople {

    public static final String PASSWORD = "demo";

    public record Person(String username, String displayName, String email, List<String> groups, String role) {}

    public static final List<Person> ALL = List.of(
            new Person("admin", "Ada Admin", "admin@demo.invalid", List.of("console-admins"), "ADMIN"),
            new Person("approver", "Abe Approver", "approver@demo.invalid", List.of("console-approvers"), "APPROVER"),
            new Person("requester", "Rita Requester", "requester@demo.invalid", List.of("developers"), "REQUESTER"),
            new Person("auditor", "Audrey Auditor", "auditor@demo.invalid", List.of("console-auditors"), "AUDITOR"));

    private DemoPeople() {}

    public static Optional<Person> byUsername(String username) {
        return ALL.stream().filter(person -> person.username().equals(username)).findFirst();
    }
}
