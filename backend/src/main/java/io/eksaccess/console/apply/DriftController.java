package io.eksaccess.console.apply;

import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.identity.ActingPerson;
import io.eksaccess.console.identity.ConsoleRole;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Adopting a drift shown on the cluster page (admins only: ConsoleAccessRules and here). */
@Controller
class DriftController {

    private final DriftEvents drift;

    DriftController(DriftEvents drift) {
        this.drift = drift;
    }

    @PostMapping("/clusters/{name}/drift/{id}/adopt")
    String adopt(@PathVariable String name, @PathVariable long id, ActingPerson person, RedirectAttributes redirect) {
        if (!person.user().roles().contains(ConsoleRole.ADMIN)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "only an admin may adopt drift");
        }
        if (!drift.adopt(name, id, AuditActor.of(person))) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no open drift " + id + " on " + name);
        }
        redirect.addFlashAttribute("driftAdopted", id);
        return "redirect:/clusters/" + name + "#drift";
    }
}
