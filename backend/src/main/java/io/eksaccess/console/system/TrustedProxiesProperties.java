package io.eksaccess.console.system;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code console.web.*}: which reverse proxies the console believes.
 *
 * @param trustedProxies addresses or CIDR blocks (IPv4 or IPv6 literals, no host names) of the
 *     proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are honoured; a request
 *     from anywhere else keeps its socket address, whatever headers it sends. Empty trusts no one.
 */
@ConfigurationProperties("console.web")
public record TrustedProxiesProperties(@DefaultValue({"127.0.0.1/32", "::1/128"}) List<String> trustedProxies) {}
