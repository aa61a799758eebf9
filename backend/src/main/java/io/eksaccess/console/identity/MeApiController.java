package io.eksaccess.console.identity;

import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/me}: who the API takes the caller for, and their console roles. */
@RestController
class MeApiController {

    @GetMapping("/api/v1/me")
    Map<String, Object> me(Authentication authentication) {
        CurrentUser user = CurrentUser.of(authentication);
        return Map.of(
                "subject", user.subject(),
                "displayName", user.displayName(),
                "roles", user.roles().stream().map(Enum::name).sorted().toList());
    }
}
