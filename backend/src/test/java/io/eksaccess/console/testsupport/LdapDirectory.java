package io.eksaccess.console.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP server (Debian's {@code slapd}) holding the test people and their groups. Dex's
 * LDAP connector signs them in through Dex's own login form and hands their groups to the
 * console; Dex's static passwords cannot carry groups in the Dex release the tests build.
 * Started once per test run.
 */
public final class LdapDirectory {

    public static final String SUFFIX = "dc=example,dc=com";
    public static final String BIND_DN = "cn=admin," + SUFFIX;
    public static final String BIND_PASSWORD = "ldap-admin-password";

    public record Person(String uid, String name, String email, List<String> groups) {}

    private static LdapDirectory instance;

    private final String hostPort;

    private LdapDirectory(String hostPort) {
        this.hostPort = hostPort;
    }

    /** The directory, holding the given people (only the first call's people are loaded). */
    public static synchronized LdapDirectory get(List<Person> people, String password) {
        if (instance == null) {
            instance = start(people, password);
        }
        return instance;
    }

    /** host:port of the plain-LDAP listener on loopback. */
    public String hostPort() {
        return hostPort;
    }

    private static LdapDirectory start(List<Person> people, String password) {
        return start(SUFFIX, BIND_DN, BIND_PASSWORD, ldif(people, password));
    }

    /**
     * A directory of its own (not the shared one) for the given suffix, root DN and password, loaded
     * with the given LDIF (which must hold the suffix's own entry too). Stopped when the JVM exits.
     */
    public static LdapDirectory start(String suffix, String rootDn, String rootPassword, String ldif) {
        Path slapd = Path.of("/usr/sbin/slapd");
        Path slapadd = Path.of("/usr/sbin/slapadd");
        if (!Files.isExecutable(slapd) || !Files.isExecutable(slapadd)) {
            throw new IllegalStateException("OpenLDAP's slapd is missing. Install Debian's 'slapd' package"
                    + " (as root: apt-get install slapd; .ci/setup does this).");
        }
        Path dir = TestInfra.freshDir("ldap-");
        try {
            Files.createDirectories(dir.resolve("db"));
            Files.writeString(dir.resolve("slapd.conf"), """
                    include /etc/ldap/schema/core.schema
                    include /etc/ldap/schema/cosine.schema
                    include /etc/ldap/schema/inetorgperson.schema
                    modulepath /usr/lib/ldap
                    moduleload back_mdb
                    pidfile %s
                    database mdb
                    maxsize 10485760
                    suffix "%s"
                    rootdn "%s"
                    rootpw %s
                    directory %s
                    """.formatted(dir.resolve("slapd.pid"), suffix, rootDn, rootPassword, dir.resolve("db")));
            Files.writeString(dir.resolve("people.ldif"), ldif);
            Process load = new ProcessBuilder(slapadd.toString(), "-f", dir.resolve("slapd.conf").toString(),
                            "-l", dir.resolve("people.ldif").toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(load.getInputStream().readAllBytes());
            if (!load.waitFor(30, TimeUnit.SECONDS) || load.exitValue() != 0) {
                throw new IllegalStateException("slapadd failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int port = FreePorts.next();
        TestProcess process = TestProcess.start("slapd", List.of(slapd.toString(),
                "-f", dir.resolve("slapd.conf").toString(),
                "-h", "ldap://127.0.0.1:" + port + "/",
                "-d", "256"), dir);
        awaitPort(process, port);
        return new LdapDirectory("127.0.0.1:" + port);
    }

    private static void awaitPort(TestProcess process, int port) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("slapd exited\n" + process.logTail());
                }
                TestProcess.sleep(50);
            }
        }
        throw new IllegalStateException("slapd did not listen on " + port + "\n" + process.logTail());
    }

    private static String ldif(List<Person> people, String password) {
        StringBuilder ldif = new StringBuilder("""
                dn: %1$s
                objectClass: dcObject
                objectClass: organization
                o: Example
                dc: example

                dn: ou=people,%1$s
                objectClass: organizationalUnit
                ou: people

                dn: ou=groups,%1$s
                objectClass: organizationalUnit
                ou: groups

                """.formatted(SUFFIX));
        for (Person person : people) {
            ldif.append("""
                    dn: uid=%s,ou=people,%s
                    objectClass: inetOrgPerson
                    uid: %s
                    cn: %s
                    sn: %s
                    mail: %s
                    userPassword: %s

                    """.formatted(person.uid(), SUFFIX, person.uid(), person.name(), person.name(), person.email(), password));
        }
        people.stream().flatMap(person -> person.groups().stream()).distinct().forEach(group -> {
            ldif.append("dn: cn=").append(group).append(",ou=groups,").append(SUFFIX).append('\n')
                    .append("objectClass: groupOfNames\ncn: ").append(group).append('\n');
            people.stream()
                    .filter(person -> person.groups().contains(group))
                    .forEach(person -> ldif.append("member: uid=").append(person.uid()).append(",ou=people,")
                            .append(SUFFIX).append('\n'));
            ldif.append('\n');
        });
        return ldif.toString();
    }
}
