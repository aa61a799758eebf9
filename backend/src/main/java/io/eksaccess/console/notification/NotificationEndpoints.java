package io.eksaccess.console.notification;

import io.eksaccess.console.audit.AuditAction;
import io.eksaccess.console.audit.AuditActor;
import io.eksaccess.console.audit.AuditLog;
import io.eksaccess.console.audit.AuditOutcome;
import io.eksaccess.console.system.ConsoleException;
import io.eksaccess.console.system.Sentence;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The admin's changes to notification endpoints: checked, written, then audited. The signing
 * secret goes into the database and nowhere else: not into messages, audit details or logs. Audit
 * details name the URL's host only, as pages do, because webhook URLs may hold a token.
 */
@Service
public class NotificationEndpoints {

    static final int MAX_NAME = 100;
    static final int MIN_SECRET = 16;

    /** A change refused, with the reason a person can act on. */
    /**
     * What the admin typed. On a change, an empty {@code url} or {@code secret} keeps the stored one;
     * {@code removeSecret} drops the secret. Unchecked boxes are not sent at all, hence the nullable
     * Booleans (read as false).
     */
    public record Form(
            String name, String kind, String url, List<String> eventTypes, Boolean enabled, String secret,
            Boolean removeSecret) {

        public Form {
            eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
            enabled = Boolean.TRUE.equals(enabled);
            removeSecret = Boolean.TRUE.equals(removeSecret);
        }

        public static Form empty() {
            return new Form("", EndpointKind.GENERIC_JSON.name(), "", List.of(), true, "", false);
        }

        static Form of(NotificationEndpoint endpoint) {
            return new Form(endpoint.name(), endpoint.kind().name(), "",
                    endpoint.eventTypes().stream().map(Enum::name).toList(), endpoint.enabled(), "", false);
        }

        public boolean selects(NotificationType type) {
            return eventTypes.contains(type.name());
        }
    }

    private final NotificationEndpointRepository endpoints;
    private final AuditLog audit;
    private final WebhookPayloads payloads;
    private final WebhookSender sender;
    private final WebhookTargets targets;
    private final Clock clock = Clock.systemUTC();

    NotificationEndpoints(NotificationEndpointRepository endpoints, AuditLog audit, WebhookPayloads payloads,
            WebhookSender sender, WebhookTargets targets) {
        this.endpoints = endpoints;
        this.audit = audit;
        this.payloads = payloads;
        this.sender = sender;
        this.targets = targets;
    }

    public List<NotificationEndpoint> findAll() {
        return endpoints.findAll();
    }

    public NotificationEndpoint require(long id) {
        return endpoints.find(id).orElseThrow(() -> ConsoleException.notFound("error.notification.no-endpoint", id));
    }

    @Transactional // the change and its audit row commit together (the audit is the last write)
    public long add(AuditActor actor, Form form) {
        NotificationEndpointRepository.Write write = check(form, null);
        if (write.url() == null) {
            throw ConsoleException.invalid("error.notification.url-required").onField("url");
        }
        String secret = newSecret(form, write.kind());
        long id;
        try {
            id = endpoints.insert(write, secret);
        } catch (DuplicateKeyException e) {
            throw nameTaken(write.name());
        }
        Map<String, String> details = describe(write, NotificationEndpoint.destinationOf(write.url()), secret != null);
        audit.record(actor, AuditAction.NOTIFICATION_ENDPOINT_ADDED, null, resource(id), details, AuditOutcome.SUCCESS);
        return id;
    }

    @Transactional
    public void change(AuditActor actor, long id, Form form) {
        NotificationEndpoint before = require(id);
        NotificationEndpointRepository.Write write = check(form, id);
        String secretChange = newSecret(form, write.kind());
        if (secretChange == null && (form.removeSecret() || write.kind() == EndpointKind.SLACK)) {
            secretChange = before.signed() ? "" : null;
        }
        try {
            endpoints.update(id, write, secretChange);
        } catch (DuplicateKeyException e) {
            throw nameTaken(write.name());
        }
        NotificationEndpoint after = require(id);
        Map<String, String> details = describe(write, after.destination(), after.signed());
        details.put("changed", String.join(",", changes(before, after, write.url() != null, secretChange)));
        audit.record(actor, AuditAction.NOTIFICATION_ENDPOINT_CHANGED, null, resource(id), details, AuditOutcome.SUCCESS);
    }

    @Transactional
    public void remove(AuditActor actor, long id) {
        NotificationEndpoint endpoint = require(id);
        if (!endpoints.delete(id)) {
            throw ConsoleException.conflict("error.notification.removed-meanwhile", endpoint.name());
        }
        audit.record(actor, AuditAction.NOTIFICATION_ENDPOINT_REMOVED, null, resource(id),
                Map.of("name", endpoint.name(), "kind", endpoint.kind().name(), "destination", endpoint.destination()),
                AuditOutcome.SUCCESS);
    }

    /** Sends a {@code TEST} event now, bypassing the outbox, so the admin sees the receiver's answer at once. */
    public WebhookSender.Result sendTest(AuditActor actor, long id) {
        NotificationEndpointRepository.Target target = endpoints.target(id)
                .orElseThrow(() -> ConsoleException.notFound("error.notification.no-endpoint", id));
        OutgoingEvent event = new OutgoingEvent(OutgoingEvent.TEST_TYPE, null, null,
                "Test notification sent by " + actor.displayName() + " from the console's admin page. No action needed.",
                "/admin/notifications", Map.of(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        String body = payloads.body(target.kind(), event);
        String secret = target.kind() == EndpointKind.GENERIC_JSON ? target.secret() : null;
        WebhookSender.Result result = sender.send(target.url(), body, event.type(), secret, null);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("name", target.name());
        details.put("httpStatus", result.httpStatus() == null ? "none" : result.httpStatus().toString());
        if (result.error() != null) {
            details.put("error", result.error());
        }
        audit.record(actor, AuditAction.NOTIFICATION_ENDPOINT_TESTED, null, resource(id), details,
                result.delivered() ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE);
        return result;
    }

    private NotificationEndpointRepository.Write check(Form form, Long id) {
        String name = form.name() == null ? "" : form.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ConsoleException.invalid("error.notification.name", MAX_NAME).onField("name");
        }
        if (endpoints.nameTaken(name, id)) {
            throw nameTaken(name);
        }
        EndpointKind kind;
        try {
            kind = EndpointKind.valueOf(form.kind() == null ? "" : form.kind());
        } catch (IllegalArgumentException e) {
            throw ConsoleException.invalid("error.notification.kind").onField("kind");
        }
        String url = form.url() == null || form.url().isBlank() ? null : form.url().strip();
        if (url != null) {
            Sentence refused = targets.refusal(requireHttpUrl(url));
            if (refused != null) {
                throw ConsoleException.invalidBecause(refused).onField("url");
            }
        }
        Set<NotificationType> types = EnumSet.noneOf(NotificationType.class);
        for (String type : form.eventTypes()) {
            try {
                types.add(NotificationType.valueOf(type));
            } catch (IllegalArgumentException e) {
                throw ConsoleException.invalid("error.notification.no-event-type", type).onField("eventTypes");
            }
        }
        if (types.isEmpty()) {
            throw ConsoleException.invalid("error.notification.event-types").onField("eventTypes");
        }
        return new NotificationEndpointRepository.Write(name, kind, url, List.copyOf(types), form.enabled());
    }

    /** @return the secret to store, or null when the form sets none */
    private static String newSecret(Form form, EndpointKind kind) {
        String secret = form.secret() == null ? "" : form.secret();
        if (secret.isEmpty()) {
            return null;
        }
        if (kind != EndpointKind.GENERIC_JSON) {
            throw ConsoleException.invalid("error.notification.slack-secret").onField("secret");
        }
        if (secret.length() < MIN_SECRET || secret.length() > 500 || !secret.equals(secret.strip())) {
            throw ConsoleException.invalid("error.notification.secret", MIN_SECRET).onField("secret");
        }
        return secret;
    }

    private static URI requireHttpUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ConsoleException.invalid("error.notification.url-invalid").onField("url");
        }
        if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase())
                || uri.getHost() == null || url.length() > 2000) {
            throw ConsoleException.invalid("error.notification.url-absolute").onField("url");
        }
        return uri;
    }

    private static Map<String, String> describe(NotificationEndpointRepository.Write write, String destination,
            boolean signed) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("name", write.name());
        details.put("kind", write.kind().name());
        details.put("destination", destination);
        details.put("events", String.join(",", write.eventTypes().stream().map(Enum::name).toList()));
        details.put("enabled", Boolean.toString(write.enabled()));
        details.put("signed", Boolean.toString(signed));
        return details;
    }

    private static List<String> changes(NotificationEndpoint before, NotificationEndpoint after, boolean urlGiven,
            String secretChange) {
        List<String> changed = new ArrayList<>();
        if (!before.name().equals(after.name())) {
            changed.add("name");
        }
        if (before.kind() != after.kind()) {
            changed.add("kind");
        }
        if (urlGiven) {
            changed.add("url");
        }
        if (!before.eventTypes().equals(after.eventTypes())) {
            changed.add("events");
        }
        if (before.enabled() != after.enabled()) {
            changed.add("enabled");
        }
        if (secretChange != null) {
            changed.add("signing");
        }
        return changed;
    }

    private static ConsoleException nameTaken(String name) {
        return ConsoleException.conflict("error.notification.name-taken", name).onField("name");
    }

    private static String resource(long id) {
        return "notification-endpoints/" + id;
    }
}
