package io.eksaccess.console.notification;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook building blocks, made from configuration. */
@Configuration(proxyBeanMethods = false)
class NotificationConfiguration {

    @Bean
    WebhookPayloads webhookPayloads(@Value("${console.public-url:http://localhost:${server.port:8080}}") String publicUrl) {
        return new WebhookPayloads(publicUrl);
    }

    @Bean
    WebhookSender webhookSender(NotificationProperties properties, WebhookTargets targets) {
        return new WebhookSender(properties.connectTimeout(), properties.requestTimeout(), targets);
    }

    @Bean
    WebhookTargets webhookTargets(NotificationProperties properties) {
        return new WebhookTargets(properties.allowPrivateTargets());
    }
}
