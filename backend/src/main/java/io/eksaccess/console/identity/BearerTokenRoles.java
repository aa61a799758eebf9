package io.eksaccess.console.identity;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Gives an API caller the console roles their token's groups (and email / preferred username, for
 * {@code admin-users}) map to, exactly as {@link ConsoleOidcUserService} does at sign-in.
 */
@Component
public class BearerTokenRoles implements Converter<Jwt, AbstractAuthenticationToken> {

    private final ConsoleRoleMapper roleMapper;
    private final String groupsClaim;

    public BearerTokenRoles(ConsoleRoleMapper roleMapper, OidcProperties oidc) {
        this.roleMapper = roleMapper;
        this.groupsClaim = oidc.groupsClaim();
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        List<String> identities = Stream.of(jwt.getClaimAsString("email"), jwt.getClaimAsString("preferred_username"))
                .filter(Objects::nonNull)
                .toList();
        return new JwtAuthenticationToken(jwt,
                roleMapper.rolesFor(groupsOf(jwt), identities).stream().map(ConsoleRole::authority).toList(),
                jwt.getSubject());
    }

    private List<String> groupsOf(Jwt jwt) {
        Object claim = jwt.getClaims().get(groupsClaim);
        if (claim instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return claim instanceof String single ? List.of(single) : List.of();
    }
}
