package io.eksaccess.console.identity;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Component;

/** Loads the signed-in person as the issuer describes them and adds their console roles. */
@Component
public class ConsoleOidcUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

    private final OidcUserService delegate = new OidcUserService();
    private final ConsoleRoleMapper roleMapper;
    private final String groupsClaim;

    public ConsoleOidcUserService(ConsoleRoleMapper roleMapper, OidcProperties oidc) {
        this.roleMapper = roleMapper;
        this.groupsClaim = oidc.groupsClaim();
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser user = delegate.loadUser(request);
        Set<GrantedAuthority> authorities = new LinkedHashSet<>(user.getAuthorities());
        List<String> identities = java.util.stream.Stream.of(user.getEmail(), user.getPreferredUsername())
                .filter(java.util.Objects::nonNull)
                .toList();
        roleMapper.rolesFor(groupsOf(user), identities).forEach(role -> authorities.add(role.authority()));
        return new DefaultOidcUser(authorities, user.getIdToken(), user.getUserInfo(), "sub");
    }

    private List<String> groupsOf(OidcUser user) {
        Object claim = user.getClaims().get(groupsClaim);
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return claim instanceof String single ? List.of(single) : List.of();
    }
}
