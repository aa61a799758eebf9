package io.eksaccess.console.rbac;

import java.util.List;

/** Subjects allowed (de-duplicated, system:masters left out) and the bindings that allow them. */
public record WhoCanAnswer(List<Subject> subjects, List<BindingRef> bindings) {}
