package io.eksaccess.console.identity;

import io.eksaccess.console.system.PageRefusals;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;

/**
 * Adds to Boot's error attributes what our error page explains: on a 403, which console roles
 * the area needs and which OIDC groups grant them, or that the CSRF token was missing. Exception
 * messages and stack traces stay out (Boot's defaults).
 */
@Component
class ConsoleErrorAttributes extends DefaultErrorAttributes {

    private final ConsoleRoleMapper roleMapper;

    ConsoleErrorAttributes(ConsoleRoleMapper roleMapper) {
        this.roleMapper = roleMapper;
    }

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Map<String, Object> attributes = super.getErrorAttributes(request, options);
        Object required = request.getAttribute(
                RoleExplainingAccessDeniedHandler.REQUIRED_ROLES, RequestAttributes.SCOPE_REQUEST);
        if (required instanceof Set<?> roles) {
            Map<String, Object> groupsByRole = new TreeMap<>();
            for (Object role : roles) {
                groupsByRole.put(role.toString(), roleMapper.groupsGranting((ConsoleRole) role));
            }
            attributes.put("requiredRoles", groupsByRole);
        }
        if (request.getAttribute(PageRefusals.BAD_VALUE, RequestAttributes.SCOPE_REQUEST) instanceof String badValue) {
            attributes.put("badValue", badValue);
        }
        if (request.getAttribute(PageRefusals.REFUSAL, RequestAttributes.SCOPE_REQUEST) instanceof String refusal) {
            attributes.put("refusal", refusal);
        }
        if (request.getAttribute(RoleExplainingAccessDeniedHandler.CSRF_REJECTED, RequestAttributes.SCOPE_REQUEST)
                != null) {
            attributes.put("csrfRejected", true);
        }
        return attributes;
    }
}
