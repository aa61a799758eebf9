package io.eksaccess.console.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.eksaccess.console.testsupport.KubeApiServer;
import io.eksaccess.console.testsupport.TestInfra;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart under helm/ lints, renders, and its manifests are accepted by a real API server (server-side dry run). */
class HelmChartTest {

    static final Path CHART = Path.of("..", "helm", "eks-access-console").toAbsolutePath().normalize();
    static final String NAMESPACE = "console-chart";

    @Test
    void lintsCleanly() {
        TestInfra.CommandResult lint = helm("lint", CHART.toString(),
                "--set", "database.password=pw", "--set", "oidc.clientSecret=secret");
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.output()).contains("0 chart(s) failed");
    }

    @Test
    void renderedManifestsAreAcceptedByTheApiServerWithEveryOptionOn() {
        List<HasMetadata> objects = render("--set", "database.password=pw", "--set", "oidc.clientSecret=secret",
                "--set", "ingress.enabled=true", "--set", "ingress.tlsSecretName=console-tls",
                "--set", "networkPolicy.enabled=true",
                "--set", "serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn=arn:aws:iam::111122223333:role/console");
        assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "Ingress",
                "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "PodDisruptionBudget",
                "NetworkPolicy", "Secret");
        KubeApiServer apiServer = KubeApiServer.get();
        apiServer.apply("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                """.formatted(NAMESPACE));
        try (KubernetesClient client = apiServer.adminClient()) {
            for (HasMetadata object : objects) {
                String namespace = object.getMetadata().getNamespace() != null ? object.getMetadata().getNamespace() : NAMESPACE;
                HasMetadata accepted = client.resource(object).inNamespace(namespace).dryRun().create();
                assertThat(accepted.getMetadata().getUid()).as(object.getKind() + " accepted").isNotNull();
            }
        }

        Deployment deployment = (Deployment) objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
        var pod = deployment.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getEnv()).anyMatch(env -> env.getName().equals("CONSOLE_OIDC_CLIENT_SECRET")
                && env.getValueFrom().getSecretKeyRef() != null);
    }

    @Test
    void existingSecretsAreUsedInsteadOfCreatingOne() {
        List<HasMetadata> objects = render("--set", "database.existingSecret=db-credentials",
                "--set", "oidc.existingSecret=oidc-credentials");
        assertThat(objects).extracting(HasMetadata::getKind).doesNotContain("Secret");
        Deployment deployment = (Deployment) objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anyMatch(env -> env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null
                        && env.getValueFrom().getSecretKeyRef().getName().equals("db-credentials"));
    }

    @Test
    void theOwnerMigratesAndTheConsoleRunsAsTheAppRole() {
        List<HasMetadata> objects = render("--set", "database.username=console_app", "--set", "database.password=pw",
                "--set", "database.migrationUsername=console", "--set", "database.migrationPassword=owner-pw",
                "--set", "oidc.clientSecret=secret");
        Deployment deployment = (Deployment) objects.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
        var env = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env).anyMatch(e -> e.getName().equals("SPRING_DATASOURCE_USERNAME") && e.getValue().equals("console_app"));
        assertThat(env).anyMatch(e -> e.getName().equals("SPRING_FLYWAY_USER") && e.getValue().equals("console"));
        assertThat(env).anyMatch(e -> e.getName().equals("SPRING_FLYWAY_PASSWORD")
                && e.getValueFrom().getSecretKeyRef().getKey().equals("migration-password"));
        io.fabric8.kubernetes.api.model.Secret secret = (io.fabric8.kubernetes.api.model.Secret) objects.stream()
                .filter(o -> o instanceof io.fabric8.kubernetes.api.model.Secret).findFirst().orElseThrow();
        assertThat(secret.getStringData()).containsEntry("migration-password", "owner-pw").containsEntry("password", "pw");

        List<HasMetadata> single = render("--set", "database.password=pw", "--set", "oidc.clientSecret=secret");
        Deployment plain = (Deployment) single.stream().filter(o -> o instanceof Deployment).findFirst().orElseThrow();
        assertThat(plain.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .noneMatch(e -> e.getName().startsWith("SPRING_FLYWAY"));
    }

    @Test
    void aMissingIssuerIsRefusedWithAReason() {
        TestInfra.CommandResult result = helm("template", "t", CHART.toString(), "--set", "oidc.issuerUri=");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("oidc.issuerUri is required");
    }

    private static List<HasMetadata> render(String... sets) {
        List<String> args = new ArrayList<>(List.of("template", "console", CHART.toString(), "--namespace", NAMESPACE));
        args.addAll(List.of(sets));
        TestInfra.CommandResult rendered = helm(args.toArray(String[]::new));
        assertThat(rendered.exitCode()).as(rendered.output()).isZero();
        try (KubernetesClient client = KubeApiServer.get().adminClient()) {
            return client.load(new ByteArrayInputStream(rendered.output().getBytes(StandardCharsets.UTF_8))).items();
        }
    }

    private static TestInfra.CommandResult helm(String... args) {
        List<String> command = new ArrayList<>(List.of(TestInfra.binary("helm").toString()));
        command.addAll(List.of(args));
        return TestInfra.run(command, TestInfra.workDir());
    }
}
