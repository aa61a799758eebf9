package io.eksaccess.console.identity;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The four console roles of DESIGN.md. Spring Security sees them as {@code ROLE_<name>}. */
public enum ConsoleRole {
    ADMIN,
    APPROVER,
    REQUESTER,
    AUDITOR;

    public GrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }

    /** The role an authority stands for, or null when it is not a console role. */
    public static ConsoleRole fromAuthority(String authority) {
        for (ConsoleRole role : values()) {
            if (role.authority().getAuthority().equals(authority)) {
                return role;
            }
        }
        return null;
    }
}
