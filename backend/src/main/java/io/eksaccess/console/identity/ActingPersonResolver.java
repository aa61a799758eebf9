package io.eksaccess.console.identity;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives controllers an {@link ActingPerson} parameter, so none builds the audit's "who and from where"
 * by hand. Every route that takes one is behind sign-in; an anonymous request here is a wiring mistake.
 */
class ActingPersonResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == ActingPerson.class;
    }

    @Override
    public ActingPerson resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        if (!(webRequest.getUserPrincipal() instanceof Authentication authentication)) {
            throw new IllegalStateException("no signed-in person for " + parameter.getMethod());
        }
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        return new ActingPerson(CurrentUser.of(authentication), request == null ? null : request.getRemoteAddr());
    }
}
