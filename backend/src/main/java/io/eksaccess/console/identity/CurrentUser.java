package io.eksaccess.console.identity;

import java.util.EnumSet;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The signed-in person as pages and audit need them.
 *
 * @param subject the issuer's stable {@code sub}
 * @param displayName name, preferred username or email, whichever the issuer gave first
 */
public record CurrentUser(String subject, String displayName, Set<ConsoleRole> roles) {

    public static CurrentUser of(Authentication authentication) {
        Set<ConsoleRole> roles = EnumSet.noneOf(ConsoleRole.class);
        for (GrantedAuthority authority : authentication.getAuthorities()) {
            ConsoleRole role = ConsoleRole.fromAuthority(authority.getAuthority());
            if (role != null) {
                roles.add(role);
            }
        }
        if (authentication.getPrincipal() instanceof OidcUser oidc) {
            return new CurrentUser(oidc.getSubject(), displayNameOf(oidc), roles);
        }
        if (authentication.getPrincipal() instanceof Jwt jwt) {
            // An API caller with a bearer token: the same `sub` as when they sign in with a browser.
            return new CurrentUser(jwt.getSubject(), firstPresent(jwt.getSubject(), jwt.getClaimAsString("name"),
                    jwt.getClaimAsString("preferred_username"), jwt.getClaimAsString("email")), roles);
        }
        return new CurrentUser(authentication.getName(), authentication.getName(), roles);
    }

    /** For templates: true when the person holds at least one of the named roles. */
    public boolean hasAny(String... roleNames) {
        for (String name : roleNames) {
            if (roles.contains(ConsoleRole.valueOf(name))) {
                return true;
            }
        }
        return false;
    }

    private static String displayNameOf(OidcUser user) {
        return firstPresent(user.getSubject(), user.getFullName(), user.getPreferredUsername(), user.getEmail());
    }

    private static String firstPresent(String fallback, String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return fallback;
    }
}
