package io.eksaccess.console.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A real Dex OIDC provider on loopback: in-memory storage, one static confidential client for
 * the console, and its LDAP connector in front of a real OpenLDAP ({@link LdapDirectory}) that
 * holds the test people and their groups, so people sign in through Dex's own login form and
 * arrive with a {@code groups} claim. Dex matches redirect URIs exactly, so each console under
 * test names its own callback URL and gets its own Dex (it starts in well under a second).
 */
public final class DexServer implements AutoCloseable {

    public static final String CLIENT_ID = "eks-access-console";
    public static final String PASSWORD = "dex-test-password";

    public static final LdapDirectory.Person ADMIN =
            new LdapDirectory.Person("dex-admin", "Dana Admin", "admin@example.com", List.of("console-admins"));
    public static final LdapDirectory.Person APPROVER =
            new LdapDirectory.Person("dex-approver", "Dale Approver", "approver@example.com", List.of("console-approvers"));
    public static final LdapDirectory.Person REQUESTER =
            new LdapDirectory.Person("dex-requester", "Dora Requester", "requester@example.com", List.of("developers"));
    public static final LdapDirectory.Person AUDITOR =
            new LdapDirectory.Person("dex-auditor", "Dirk Auditor", "auditor@example.com", List.of("console-auditors"));
    public static final List<LdapDirectory.Person> PEOPLE = List.of(ADMIN, APPROVER, REQUESTER, AUDITOR);

    private final TestProcess process;
    private final String issuer;
    private final String clientSecret;

    private DexServer(TestProcess process, String issuer, String clientSecret) {
        this.process = process;
        this.issuer = issuer;
        this.clientSecret = clientSecret;
    }

    /** Starts Dex with the console's callback URL(s) registered for its client. */
    public static DexServer start(List<String> redirectUris) {
        Path binary = TestInfra.binary("dex");
        LdapDirectory ldap = LdapDirectory.get(PEOPLE, PASSWORD);
        Path dir = TestInfra.freshDir("dex-");
        int port = FreePorts.next();
        String issuer = "http://127.0.0.1:" + port + "/dex";
        String secret = UUID.randomUUID().toString();
        String config = """
                issuer: %s
                storage:
                  type: memory
                web:
                  http: 127.0.0.1:%d
                logger:
                  level: info
                oauth2:
                  skipApprovalScreen: true
                enablePasswordDB: false
                connectors:
                - type: ldap
                  id: ldap
                  name: Test directory
                  config:
                    host: %s
                    insecureNoSSL: true
                    bindDN: %s
                    bindPW: %s
                    usernamePrompt: Email address
                    userSearch:
                      baseDN: ou=people,%s
                      filter: "(objectClass=inetOrgPerson)"
                      username: mail
                      idAttr: uid
                      emailAttr: mail
                      nameAttr: cn
                      preferredUsernameAttr: uid
                    groupSearch:
                      baseDN: ou=groups,%s
                      filter: "(objectClass=groupOfNames)"
                      userMatchers:
                      - userAttr: DN
                        groupAttr: member
                      nameAttr: cn
                staticClients:
                - id: %s
                  name: EKS Access Console (tests)
                  secret: %s
                  redirectURIs: [%s]
                """.formatted(issuer, port, ldap.hostPort(), LdapDirectory.BIND_DN, LdapDirectory.BIND_PASSWORD,
                LdapDirectory.SUFFIX, LdapDirectory.SUFFIX, CLIENT_ID, secret,
                String.join(", ", redirectUris.stream().map(uri -> "\"" + uri + "\"").toList()));
        try {
            Files.writeString(dir.resolve("config.yaml"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestProcess process = TestProcess.start("dex-" + port,
                List.of(binary.toString(), "serve", dir.resolve("config.yaml").toString()), dir);
        process.awaitHttp(issuer + "/.well-known/openid-configuration", status -> status == 200, Duration.ofSeconds(30));
        return new DexServer(process, issuer, secret);
    }

    public String issuer() {
        return issuer;
    }

    public String clientSecret() {
        return clientSecret;
    }

    @Override
    public void close() {
        process.close();
    }
}
