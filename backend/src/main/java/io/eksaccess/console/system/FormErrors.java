package io.eksaccess.console.system;

import org.springframework.ui.Model;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.BindingResult;

/**
 * A refusal from a feature's rules into the form's {@link BindingResult}, next to the Jakarta
 * Validation errors: beside the field it names when the form has that field, else for the whole form.
 * Templates show both the same way ({@code th:errors}, {@code aria-invalid}).
 */
public final class FormErrors {

    private FormErrors() {}

    /**
     * A form record some field of which did not convert (a typed "two" for a number, an unknown choice)
     * is constructed with that field's default, but its BindingResult was made before it and holds no
     * form, so the page would get none. This pairs the form with those errors again: the page shows the
     * form as typed, a failed field its rejected text ({@code th:field}), the others their values.
     */
    public static void keepTyped(Object form, String name, BindingResult result, Model model) {
        if (result.getTarget() != null || form == null) {
            return;
        }
        BindingResult kept = new BeanPropertyBindingResult(form, name);
        kept.addAllErrors(result);
        model.addAttribute(name, form);
        model.addAttribute(BindingResult.MODEL_KEY_PREFIX + name, kept);
    }

    public static void reject(BindingResult result, ConsoleException e) {
        if (e.field() != null && result.getFieldType(e.field()) != null) {
            result.rejectValue(e.field(), e.key(), e.args(), e.getMessage());
        } else {
            result.reject(e.key(), e.args(), e.getMessage());
        }
    }
}
