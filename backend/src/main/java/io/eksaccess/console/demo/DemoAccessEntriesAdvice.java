package io.eksaccess.console.demo;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Tells the Access entries tab why the demo cluster has no access entries when the demo's EKS
 * double did not start ({@code demoEksDoubleProblem}: null otherwise, and outside the demo).
 */
@ControllerAdvice(basePackages = "io.eksaccess.console.accessentry")
class DemoAccessEntriesAdvice {

    private final ObjectProvider<DemoEksDouble> eks;

    DemoAccessEntriesAdvice(ObjectProvider<DemoEksDouble> eks) {
        this.eks = eks;
    }

    @ModelAttribute("demoEksDoubleProblem")
    String demoEksDoubleProblem() {
        DemoEksDouble double_ = eks.getIfAvailable();
        return double_ == null ? null : double_.problem();
    }
}
