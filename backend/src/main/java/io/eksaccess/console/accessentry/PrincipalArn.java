package io.eksaccess.console.accessentry;

import java.util.Locale;

/**
 * An IAM role or user ARN split into what matching needs. The path is kept in {@code arn} but
 * matching goes by name: role and user names are unique in an account (case-insensitively), and
 * an assumed-role caller ARN carries the role's name without its path.
 */
public record PrincipalArn(String arn, String partition, String account, boolean isRole, String path, String name) {

    /** @return null when the text is not an {@code arn:PARTITION:iam::ACCOUNT:role|user/[PATH/]NAME} */
    public static PrincipalArn parse(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        String[] sections = arn.split(":", 6);
        if (sections.length != 6 || !sections[2].equals("iam") || sections[1].isEmpty() || sections[4].isEmpty()) {
            return null;
        }
        String resource = sections[5];
        boolean role = resource.startsWith("role/");
        if (!role && !resource.startsWith("user/")) {
            return null;
        }
        String rest = resource.substring(5);
        int slash = rest.lastIndexOf('/');
        String name = rest.substring(slash + 1);
        if (name.isEmpty()) {
            return null;
        }
        return new PrincipalArn(arn, sections[1], sections[4], role, slash < 0 ? "/" : "/" + rest.substring(0, slash + 1),
                name);
    }

    /** The same IAM principal: same partition, account, kind and name, whatever the paths. */
    public boolean samePrincipal(PrincipalArn other) {
        return other != null && isRole == other.isRole && partition.equals(other.partition)
                && account.equals(other.account) && name.toLowerCase(Locale.ROOT).equals(other.name.toLowerCase(Locale.ROOT));
    }
}
