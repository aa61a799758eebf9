package io.eksaccess.console.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The ground floor's part of {@code console.*}; each feature binds its own section
 * ({@code console.oidc} and {@code console.roles} in identity, {@code console.clusters} in cluster,
 * {@code console.aws} in awsauth, {@code console.notifications} in notification). README's
 * configuration table documents each property; keep the two in step.
 *
 * @param dataDir where the console keeps local state (the embedded database lives in
 *     {@code <dataDir>/postgres})
 */
@ConfigurationProperties("console")
public record ConsoleProperties(@DefaultValue("./data") Path dataDir) {}
