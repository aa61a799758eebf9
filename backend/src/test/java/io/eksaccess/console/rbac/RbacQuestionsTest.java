package io.eksaccess.console.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eksaccess.console.system.InvalidInput;
import org.junit.jupiter.api.Test;

/**
 * Questions as kubectl users write them: {@code deployments.apps} is the apps group's deployments,
 * not a core resource of that name (which only "*" rules would match, so the answer would leave out
 * everyone the apps rules give access to).
 */
class RbacQuestionsTest {

    @Test
    void resourceDotGroupNamesTheGroupAsKubectlDoes() {
        assertThat(RbacQuestions.request("list", "deployments.apps", null, "dev", null, null))
                .isEqualTo(AccessRequest.resource("list", "apps", "deployments", "", "", "dev"));
        assertThat(RbacQuestions.request("get", "ingresses.networking.k8s.io", "", "", "", ""))
                .isEqualTo(AccessRequest.resource("get", "networking.k8s.io", "ingresses", "", "", ""));
        assertThat(RbacQuestions.request("update", "deployments.v1.apps/scale", " apps ", "dev", "web", null))
                .as("RESOURCE.VERSION.GROUP, the group also given alike, with a subresource")
                .isEqualTo(AccessRequest.resource("update", "apps", "deployments", "scale", "web", "dev"));
        assertThat(RbacQuestions.request("get", "widgets.v1beta1.example.com", null, null, null, null).apiGroup())
                .isEqualTo("example.com");
        assertThat(RbacQuestions.request("get", "pods", "", "", "", "").apiGroup()).as("core as before").isEmpty();
    }

    @Test
    void aGroupNamedTwiceDifferentlyOrAnEmptyPartIsRefusedSayingWhatToWrite() {
        assertThatThrownBy(() -> RbacQuestions.request("list", "deployments.apps", "batch", "", "", ""))
                .isInstanceOf(InvalidInput.class)
                .hasMessage("The resource deployments.apps names API group apps, but apiGroup (--api-group in the CLI) says batch: give the group once.");
        for (String odd : new String[] {".apps", "deployments.", "deployments.v1."}) {
            assertThatThrownBy(() -> RbacQuestions.request("list", odd, "", "", "", "")).as(odd)
                    .isInstanceOf(InvalidInput.class).hasMessageContaining("RESOURCE.GROUP, as deployments.apps");
        }
    }
}
