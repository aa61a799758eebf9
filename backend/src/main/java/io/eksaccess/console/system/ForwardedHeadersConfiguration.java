package io.eksaccess.console.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Valve;
import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.boot.tomcat.TomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The source address that reaches the audit log is {@code request.getRemoteAddr()}. With
 * {@code server.forward-headers-strategy=native}, Tomcat's RemoteIpValve rewrites it from
 * {@code X-Forwarded-For}, and by default believes that header from every private address, so
 * anyone in the VPC or a pod could name the address audited. Here the valve believes only
 * {@code console.web.trusted-proxies}: hops are peeled off from the right while they are trusted,
 * and the first untrusted one is the client.
 */
@Configuration(proxyBeanMethods = false)
class ForwardedHeadersConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatWebServerFactory> trustedProxiesCustomizer(
            TrustedProxiesProperties properties, Environment environment) {
        if ("framework".equalsIgnoreCase(environment.getProperty("server.forward-headers-strategy", ""))) {
            throw new StartupConfigurationException(
                    "server.forward-headers-strategy=framework believes X-Forwarded-* headers from any client.",
                    "Use server.forward-headers-strategy=native (the default) and list your proxies in"
                            + " console.web.trusted-proxies.",
                    null);
        }
        String cidrs = String.join(",", cidrs(properties.trustedProxies()));
        return new TrustedProxiesCustomizer(cidrs);
    }

    /** Runs after Spring Boot's own customizer, which adds the valve. */
    private record TrustedProxiesCustomizer(String cidrs)
            implements WebServerFactoryCustomizer<TomcatWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatWebServerFactory factory) {
            for (Valve valve : factory.getEngineValves()) {
                if (valve instanceof RemoteIpValve remoteIp) {
                    remoteIp.setInternalProxies(cidrs); // Tomcat reads a value with "/" as CIDR blocks
                    remoteIp.setTrustedProxies(null);
                }
            }
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** Each entry as a CIDR block; a bare address is a block of one. Host names are refused (no DNS here). */
    static List<String> cidrs(List<String> entries) {
        List<String> cidrs = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw == null ? "" : raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split("/", -1);
            String address = parts[0];
            boolean literal = address.matches("[0-9a-fA-F:.]+") && (address.contains(".") || address.contains(":"));
            if (parts.length > 2 || !literal) {
                throw invalid(entry);
            }
            int bits;
            try {
                bits = InetAddress.getByName(address).getAddress().length * 8;
            } catch (UnknownHostException e) {
                throw invalid(entry);
            }
            int prefix = bits;
            if (parts.length == 2) {
                try {
                    prefix = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw invalid(entry);
                }
                if (prefix < 0 || prefix > bits) {
                    throw invalid(entry);
                }
            }
            cidrs.add(address + "/" + prefix);
        }
        return cidrs;
    }

    private static StartupConfigurationException invalid(String entry) {
        String shown = entry.length() > 60 ? entry.substring(0, 60) + "…" : entry;
        return new StartupConfigurationException(
                "console.web.trusted-proxies has '" + shown + "', which is not an IP address or CIDR block.",
                "List the reverse proxies' addresses as IP literals or CIDR blocks, comma-separated,"
                        + " e.g. 127.0.0.1/32,::1/128,10.0.0.0/16.",
                null);
    }
}
