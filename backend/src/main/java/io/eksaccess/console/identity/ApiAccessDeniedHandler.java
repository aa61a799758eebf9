package io.eksaccess.console.identity;

import io.eksaccess.console.system.ApiProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * A 403 with problem+json that names what is missing: the console role(s) from
 * {@link ConsoleAccessRules} (and the OIDC groups granting them), or the CSRF token of a
 * session-authenticated state change.
 */
class ApiAccessDeniedHandler implements AccessDeniedHandler {

    private final ConsoleAccessRules rules;
    private final ConsoleRoleMapper roleMapper;

    ApiAccessDeniedHandler(ConsoleAccessRules rules, ConsoleRoleMapper roleMapper) {
        this.rules = rules;
        this.roleMapper = roleMapper;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (denied instanceof CsrfException) {
            request.setAttribute(RoleExplainingAccessDeniedHandler.CSRF_REJECTED, Boolean.TRUE); // for the audit
            ApiProblems.write(request, response, HttpStatus.FORBIDDEN,
                    "CSRF token missing or invalid. A browser-session call that changes state must send the"
                            + " X-CSRF-TOKEN header (the page's <meta name=\"_csrf\">); programs should use a bearer"
                            + " token instead.",
                    Map.of());
            return;
        }
        Set<ConsoleRole> required = rules.requiredFor(request);
        request.setAttribute(RoleExplainingAccessDeniedHandler.REQUIRED_ROLES, required); // for the audit
        Map<String, Object> groupsByRole = new TreeMap<>();
        required.forEach(role -> groupsByRole.put(role.name(), roleMapper.groupsGranting(role)));
        String roles = required.stream().map(Enum::name).sorted().collect(Collectors.joining(" or "));
        ApiProblems.write(request, response, HttpStatus.FORBIDDEN,
                "This needs the " + roles + " console role.", Map.of("requiredRoles", groupsByRole));
    }
}
