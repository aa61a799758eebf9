package io.eksaccess.console.system;

import org.springframework.validation.BindingResult;

/**
 * A refusal from a feature's rules into the form's {@link BindingResult}, next to the Jakarta
 * Validation errors: beside the field it names when the form has that field, else for the whole form.
 * Templates show both the same way ({@code th:errors}, {@code aria-invalid}).
 */
public final class FormErrors {

    private FormErrors() {}

    public static void reject(BindingResult result, ConsoleException e) {
        if (e.field() != null && result.getFieldType(e.field()) != null) {
            result.rejectValue(e.field(), e.key(), e.args(), e.getMessage());
        } else {
            result.reject(e.key(), e.args(), e.getMessage());
        }
    }
}
