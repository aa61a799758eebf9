package io.eksaccess.console.system;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a page handler: where a {@link ConsoleException} (other than not-found) sends the person, with
 * the refusal as the flash error. The value is a path template over the handler's path variables
 * ({@code "/requests/{id}"}). Without it a refusal gets the error page with the refusal's status.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RefusalRedirect {

    String value();
}
