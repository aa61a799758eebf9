package io.eksaccess.console.apply;

import static io.eksaccess.console.apply.ApplyTestCluster.ADMINS;
import static io.eksaccess.console.apply.ApplyTestCluster.DEVS;
import static io.eksaccess.console.apply.ApplyTestCluster.MAP_ROLES;
import static io.eksaccess.console.apply.ApplyTestCluster.MAP_USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.awsauth.AwsAuthEdit.RoleEntry;
import io.eksaccess.console.cluster.ClusterRepository;
import io.eksaccess.console.cluster.cache.ClusterCaches;
import io.eksaccess.console.testsupport.Eventually;
import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.Once;
import io.eksaccess.console.testsupport.TestPostgres;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/**
 * The applier against the shared real API server (its aws-auth replaced before each test) and real
 * PostgreSQL: what it writes, what it audits, how it handles a real 409, lockout, a missing
 * ConfigMap, an unavailable database, and recovery of an intent whose process is gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@RecordApplicationEvents
class AwsAuthApplierTest {

    static final String CLUSTER = "apply";
    static final AuditActor ACTOR = new AuditActor("user-1", "Ada Admin", "127.0.0.1");
    static final ObjectMapper JSON = new ObjectMapper();
    static KubeApiServer apiServer;
    static String database;

    @DynamicPropertySource
    static void wiring(DynamicPropertyRegistry registry) {
        if (apiServer == null) {
            apiServer = KubeApiServer.get(); // the shared one: the fixture below replaces its aws-auth before each test
            database = TestPostgres.newDatabase();
        }
        registry.add("spring.datasource.url", Once.of(() -> database));
        registry.add("spring.datasource.hikari.connection-timeout", Once.of(() -> "2000"));
        registry.add("console.clusters.kubeconfig", Once.of(() -> ApplyTestCluster.kubeconfig(apiServer, CLUSTER).toString()));
        registry.add("console.clusters.reconcile-interval", Once.of(() -> "1s"));
        registry.add("console.apply.drift-scan-interval", Once.of(() -> "1h"));
        registry.add("console.apply.recovery-interval", Once.of(() -> "1h"));
    }

    @Autowired AwsAuthApplier applier;
    @Autowired ApplyRecovery recovery;
    @Autowired ApplyIntents intents;
    @Autowired ClusterRepository clusters;
    @Autowired ClusterCaches caches;
    @Autowired JdbcClient jdbc;
    @Autowired ApplicationEvents events;

    @BeforeEach
    void fixture() {
        Eventually.await("the kubeconfig import", Duration.ofSeconds(60), () -> clusters.findByName(CLUSTER),
                found -> found.isPresent());
        ApplyTestCluster.reset(apiServer, ApplyTestCluster.fixture());
    }

    @AfterEach
    void noHook() {
        applier.beforeWrite(null);
        // The API server is shared: later classes must not find this test's group bound to cluster-admin.
        try (KubernetesClient admin = apiServer.adminClient()) {
            admin.rbac().clusterRoleBindings().withName("platform-admins").delete();
        }
    }

    @Test
    void appliesOnlyThatEntryAndAuditsIntentBeforeOutcome() throws Exception {
        Map<String, String> before = ApplyTestCluster.awsAuth(apiServer).getData();

        ApplyResult result = applier.apply(command(mapOps(), false));

        assertThat(result.status()).as(result.message()).isEqualTo(ApplyResult.Status.APPLIED);
        Map<String, String> after = ApplyTestCluster.awsAuth(apiServer).getData();
        assertThat(after.get("mapUsers")).as("untouched key, byte for byte").isEqualTo(MAP_USERS);
        assertThat(after.get("mapRoles")).as("existing entries, comment and order kept").startsWith(MAP_ROLES);
        assertThat(after.get("mapRoles").substring(MAP_ROLES.length()))
                .contains("rolearn: arn:aws:iam::111122223333:role/ops").contains("username: ops:{{SessionName}}")
                .contains("operators");
        assertThat(result.diff()).anyMatch(line -> line.startsWith("+") && line.contains("role/ops"))
                .noneMatch(line -> line.startsWith("-") && !line.startsWith("---"));
        assertThat(result.beforeHash()).isEqualTo(AwsAuthApplier.hash(before));
        assertThat(result.afterHash()).isEqualTo(AwsAuthApplier.hash(after));
        assertThat(result.inverse()).isEqualTo(new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/ops",
                new MappingChange.Granted("ops:{{SessionName}}", List.of("operators"))));

        List<Map<String, String>> audit = audit(result.intentId());
        assertThat(audit).extracting(row -> row.get("outcome")).containsExactly("INTENT", "SUCCESS");
        assertThat(audit.get(0)).containsEntry("actor", "user-1").doesNotContainKey("status");
        assertThat(MappingChangeJson.read(audit.get(0).get("change"))).isEqualTo(mapOps());
        assertThat(audit.get(1)).containsEntry("status", "APPLIED")
                .containsEntry("beforeHash", AwsAuthApplier.hash(before))
                .containsEntry("afterHash", AwsAuthApplier.hash(after))
                .containsEntry("diff", String.join("\n", result.diff()));

        ApplyIntent intent = intents.find(result.intentId()).orElseThrow();
        assertThat(intent.state()).isEqualTo(ApplyIntent.State.DONE);
        assertThat(intent.status()).isEqualTo(ApplyResult.Status.APPLIED);
        assertThat(intent.change()).isEqualTo(mapOps());
        assertThat(intent.afterHash()).isEqualTo(result.afterHash());
        assertThat(intent.recovered()).isFalse();
    }

    @Test
    void aChangeAlreadyInPlaceWritesNothing() {
        String version = ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion();
        // The same mapping, named with a differently-cased ARN: the authenticator compares ARNs case-insensitively.
        MappingChange same = new MappingChange.MapRole(new RoleEntry(DEVS.toUpperCase().replace("ARN:AWS:IAM", "arn:aws:iam"),
                null, "dev:{{SessionName}}", List.of("developers")));

        ApplyResult result = applier.apply(command(same, false));

        assertThat(result.status()).as(result.message()).isEqualTo(ApplyResult.Status.NO_CHANGE);
        assertThat(result.diff()).isEmpty();
        assertThat(ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(audit(result.intentId())).extracting(row -> row.get("outcome")).containsExactly("INTENT", "SUCCESS");
    }

    @Test
    void aConcurrentEditBetweenReadAndWriteIsKept() {
        List<Integer> hooked = new ArrayList<>();
        applier.beforeWrite(attempt -> {
            hooked.add(attempt);
            if (attempt == 1) {
                // Another writer, straight to the API server, after the applier read and planned.
                try (KubernetesClient other = apiServer.adminClient()) {
                    ConfigMap current = other.configMaps().inNamespace("kube-system").withName("aws-auth").get();
                    Map<String, String> data = new HashMap<>(current.getData());
                    data.put("mapUsers", data.get("mapUsers") + """
                            - userarn: arn:aws:iam::111122223333:user/bob
                              username: bob
                              groups: [operators]
                            """);
                    other.configMaps().inNamespace("kube-system")
                            .resource(new ConfigMapBuilder(current).withData(data).build()).update();
                }
            }
        });

        ApplyResult result = applier.apply(command(mapOps(), false));

        assertThat(result.status()).as(result.message()).isEqualTo(ApplyResult.Status.APPLIED);
        assertThat(hooked).as("the API server answered 409 to the first write, so it planned again").containsExactly(1, 2);
        assertThat(result.attempts()).isEqualTo(2);
        Map<String, String> after = ApplyTestCluster.awsAuth(apiServer).getData();
        assertThat(after.get("mapUsers")).as("the other writer's change survives").contains("user/bob");
        assertThat(after.get("mapRoles")).contains("role/ops");
    }

    @Test
    void removingTheLastMastersMappingIsRefusedUnlessBreakGlass() {
        String version = ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion();

        ApplyResult refused = applier.apply(command(new MappingChange.UnmapRole(ADMINS.toUpperCase()
                .replace("ARN:AWS:IAM", "arn:aws:iam")), false));

        assertThat(refused.status()).isEqualTo(ApplyResult.Status.REFUSED);
        assertThat(refused.message()).contains("last mapping into a cluster-admin group").contains("system:masters");
        assertThat(ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(audit(refused.intentId())).extracting(row -> row.get("outcome")).containsExactly("INTENT", "FAILURE");

        ApplyResult overridden = applier.apply(command(new MappingChange.UnmapRole(ADMINS), true));

        assertThat(overridden.status()).as(overridden.message()).isEqualTo(ApplyResult.Status.APPLIED);
        assertThat(ApplyTestCluster.awsAuth(apiServer).getData().get("mapRoles")).doesNotContain("role/admins");
        assertThat(audit(overridden.intentId()).get(0)).containsEntry("breakGlass", "true");
    }

    @Test
    void breakGlassNeverOverridesValidation() {
        String version = ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion();
        MappingChange invalid = new MappingChange.MapRole(new RoleEntry("not-an-arn", null, "x", List.of("developers")));

        ApplyResult result = applier.apply(command(invalid, true));

        assertThat(result.status()).isEqualTo(ApplyResult.Status.REFUSED);
        assertThat(result.message()).contains("never matches a caller");
        assertThat(ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void groupsBoundToClusterAdminCountAsAdminPaths() {
        try (KubernetesClient admin = apiServer.adminClient()) {
            admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata()
                    .withName("platform-admins").endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole",
                            "cluster-admin").addNewSubject().withKind("Group").withName("platform-admins")
                    .withApiGroup("rbac.authorization.k8s.io").endSubject().build()).createOr(r -> r.update());
        }
        Eventually.await("the binding in the cache", Duration.ofSeconds(60),
                () -> caches.cache(CLUSTER).map(c -> c.snapshot().clusterRoleBindings().stream()
                        .anyMatch(b -> b.getMetadata().getName().equals("platform-admins"))).orElse(false), seen -> seen);
        ApplyTestCluster.reset(apiServer, Map.of("mapRoles", """
                - rolearn: arn:aws:iam::111122223333:role/platform
                  username: platform:{{SessionName}}
                  groups: [platform-admins]
                """ + MAP_ROLES.substring(MAP_ROLES.indexOf("# developers"))));

        ApplyResult result = applier.apply(command(new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/platform"),
                false));

        assertThat(result.status()).isEqualTo(ApplyResult.Status.REFUSED);
        assertThat(result.message()).contains("platform-admins");
        // The same check when planning on data the caller has (the request pages plan on the cache).
        assertThat(applier.planOn(CLUSTER, ApplyTestCluster.awsAuth(apiServer).getData(),
                new MappingChange.UnmapRole("arn:aws:iam::111122223333:role/platform")).lockoutProblems())
                .anyMatch(problem -> problem.contains("platform-admins"));
    }

    @Test
    void aMissingConfigMapIsCreated() {
        ApplyTestCluster.reset(apiServer, null);

        ApplyResult result = applier.apply(command(mapOps(), false));

        assertThat(result.status()).as(result.message()).isEqualTo(ApplyResult.Status.APPLIED);
        ConfigMap created = ApplyTestCluster.awsAuth(apiServer);
        assertThat(created).isNotNull();
        assertThat(created.getData().get("mapRoles")).contains("role/ops").contains("operators");
        assertThat(created.getData()).doesNotContainKey("mapUsers");
    }

    @Test
    void withTheAuditLogUnavailableNothingIsApplied() {
        String version = ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion();
        long before = jdbc.sql("SELECT coalesce(max(id), 0) FROM apply_intents").query(Long.class).single();
        // The audit table is gone for a moment (the database itself answers).
        jdbc.sql("ALTER TABLE audit_events RENAME TO audit_events_away").update();
        try {
            assertThatThrownBy(() -> applier.apply(command(mapOps(), false)))
                    .hasMessageContaining("audit log is unavailable, so nothing was applied");
        } finally {
            jdbc.sql("ALTER TABLE audit_events_away RENAME TO audit_events").update();
        }
        assertThat(ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion()).isEqualTo(version);
        ApplyIntent intent = intents.find(before + 1).orElseThrow();
        assertThat(intent.state()).isEqualTo(ApplyIntent.State.DONE);
        assertThat(intent.status()).isEqualTo(ApplyResult.Status.FAILED);
        assertThat(intent.message()).contains("audit log was unavailable");
    }

    @Test
    void withTheDatabaseDownNothingIsApplied() throws Exception {
        String version = ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion();
        long before = jdbc.sql("SELECT coalesce(max(id), 0) FROM apply_intents").query(Long.class).single();
        String name = database.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
        String admin = database.replaceFirst("/[^/?]+(\\?|$)", "/postgres$1");
        try (Connection connection = DriverManager.getConnection(admin); Statement statement = connection.createStatement()) {
            // A real outage for this console: its database refuses connections and its sessions are cut.
            statement.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            // Termination is signalled, not awaited: until the sessions are gone a pooled one could still answer.
            Eventually.await("the console's sessions cut", Duration.ofSeconds(30), () -> sessionsOn(statement, name),
                    count -> count == 0L);
            try {
                assertThatThrownBy(() -> applier.apply(command(mapOps(), false))).isInstanceOf(RuntimeException.class);
            } finally {
                statement.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
            }
        }
        assertThat(ApplyTestCluster.awsAuth(apiServer).getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(ApplyTestCluster.awsAuth(apiServer).getData().get("mapRoles")).doesNotContain("role/ops");
        Eventually.await("the database back", Duration.ofSeconds(30), () -> {
            try {
                return jdbc.sql("SELECT count(*) FROM apply_intents WHERE state = 'PENDING' AND id > :before")
                        .param("before", before).query(Long.class).single();
            } catch (RuntimeException e) {
                return -1L;
            }
        }, pending -> pending == 0L);
    }

    @Test
    void recoveryFinishesAnAbandonedIntentButNotOneSomeoneHolds() throws Exception {
        long abandoned = pendingIntent(mapOps());
        long held = pendingIntent(new MappingChange.UnmapRole(DEVS));
        try (Connection owner = DriverManager.getConnection(database);
                PreparedStatement lock = owner.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            // A live replica applying `held`.
            lock.setInt(1, ApplyIntents.LOCK_CLASS);
            lock.setInt(2, (int) held);
            lock.execute();

            int finished = recovery.recoverAbandoned();

            assertThat(finished).isEqualTo(1);
            ApplyIntent done = intents.find(abandoned).orElseThrow();
            assertThat(done.state()).isEqualTo(ApplyIntent.State.DONE);
            assertThat(done.status()).isEqualTo(ApplyResult.Status.APPLIED);
            assertThat(done.recovered()).isTrue();
            assertThat(intents.find(held).orElseThrow().state()).isEqualTo(ApplyIntent.State.PENDING);
            assertThat(ApplyTestCluster.awsAuth(apiServer).getData().get("mapRoles")).contains("role/ops").contains("role/devs");
            assertThat(events.stream(AwsAuthChangeFinished.class))
                    .containsExactly(new AwsAuthChangeFinished(abandoned, 42L));
            List<Map<String, String>> audit = audit(abandoned);
            assertThat(audit).extracting(row -> row.get("outcome")).containsExactly("INTENT", "SUCCESS");
            assertThat(audit).allSatisfy(row -> assertThat(row).containsEntry("actor", "system:apply-recovery")
                    .containsEntry("recoveredFor", "user-1"));
        }
        // Its owner gone, the held one is finished too, and running again changes nothing already done.
        // PostgreSQL frees a closed session's locks as its backend exits, a moment after close() returns.
        Eventually.await("the owner's lock released", Duration.ofSeconds(30), () -> advisoryLocksOn(held),
                count -> count == 0L);
        assertThat(recovery.recoverAbandoned()).isEqualTo(1);
        assertThat(intents.find(held).orElseThrow().status()).isEqualTo(ApplyResult.Status.APPLIED);
        assertThat(recovery.recoverAbandoned()).isZero();
    }

    private static long sessionsOn(Statement admin, String database) {
        try (ResultSet rs = admin.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + database + "'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long advisoryLocksOn(long intentId) {
        return jdbc.sql("""
                        SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = :class
                        AND objid::bigint = :id AND objsubid = 2""")
                .param("class", ApplyIntents.LOCK_CLASS).param("id", intentId).query(Long.class).single();
    }

    private long pendingIntent(MappingChange change) {
        return jdbc.sql("""
                        INSERT INTO apply_intents (cluster, change, request_id, actor_subject, actor_name, reason)
                        VALUES (:cluster, CAST(:change AS jsonb), 42, 'user-1', 'Ada Admin', 'test') RETURNING id""")
                .param("cluster", CLUSTER).param("change", MappingChangeJson.write(change)).query(Long.class).single();
    }

    static MappingChange mapOps() {
        return new MappingChange.MapRole(new RoleEntry("arn:aws:iam::111122223333:role/ops", null, "ops:{{SessionName}}",
                List.of("operators")));
    }

    static final java.util.concurrent.atomic.AtomicLong REQUEST_IDS = new java.util.concurrent.atomic.AtomicLong(1000);

    static ApplyCommand command(MappingChange change, boolean breakGlass) {
        // A request of its own each time: an earlier write of the same request would count as this one's.
        return new ApplyCommand(CLUSTER, change, ACTOR, REQUEST_IDS.incrementAndGet(), "test", breakGlass);
    }

    /** The audit rows of one intent, oldest first: outcome, actor and the details. */
    private List<Map<String, String>> audit(long intentId) {
        return jdbc.sql("""
                        SELECT outcome, actor_subject, details::text FROM audit_events
                        WHERE action = 'AWS_AUTH_APPLY' AND details->>'intentId' = :id ORDER BY sequence""")
                .param("id", Long.toString(intentId))
                .query((rs, row) -> {
                    try {
                        Map<String, String> details = new HashMap<>(JSON.readValue(rs.getString(3),
                                new TypeReference<Map<String, String>>() {}));
                        details.put("outcome", rs.getString(1));
                        details.put("actor", rs.getString(2));
                        return details;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).list();
    }
}
