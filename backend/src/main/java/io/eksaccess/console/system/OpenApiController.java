package io.eksaccess.console.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Serves the hand-written OpenAPI description of {@code /api/v1} (OpenApiDescriptionTest keeps it complete). */
@RestController
class OpenApiController {

    static final String RESOURCE = "api/openapi.yaml";

    private final byte[] description;

    OpenApiController() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            description = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the jar lacks " + RESOURCE, e);
        }
    }

    @GetMapping(path = "/api/v1/openapi.yaml", produces = "application/yaml")
    ResponseEntity<byte[]> openApi() {
        return ResponseEntity.ok().header("Content-Type", "application/yaml; charset=utf-8").body(description);
    }
}
