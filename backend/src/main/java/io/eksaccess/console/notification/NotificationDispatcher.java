package io.eksaccess.console.notification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns outbox rows into deliveries and delivers them, on every replica at once: rows are claimed
 * with {@code FOR UPDATE SKIP LOCKED}, so each is handled by exactly one replica, and a delivery's
 * row stays locked while it is being sent. A replica that dies mid-send releases the lock with its
 * connection, and the delivery is tried again (receivers get the same {@code X-EKS-Console-Delivery}).
 * Failures are retried with exponential back-off until {@code max-attempts}, then marked FAILED.
 *
 * <p>Each replica sends with {@code delivery-threads} threads, and never to one endpoint from two
 * of them at once: a receiver that hangs until the deadline holds one thread and its own queue,
 * while the other endpoints' deliveries go on.
 */
@Component
class NotificationDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NotificationDispatcher.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Deliveries per pass before looking at the outbox again, so new events are not starved. */
    private static final int DELIVERIES_PER_PASS = 100;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final NotificationProperties properties;
    private final WebhookPayloads payloads;
    private final WebhookSender sender;
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    /** Endpoints a thread of this replica is sending to right now. */
    private final Set<Long> busyEndpoints = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile Instant nextPurge = Instant.EPOCH;

    NotificationDispatcher(JdbcClient jdbc, TransactionTemplate transactions, NotificationProperties properties,
            WebhookPayloads payloads, WebhookSender sender) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.payloads = payloads;
        this.sender = sender;
    }

    /** One pass: fan out new events, then send what is due. Safe to call from any number of threads. */
    void runOnce() {
        purgeIfDue();
        fanOut();
        for (int i = 0; i < DELIVERIES_PER_PASS && deliverNextDue(); i++) {
            // each call sends one delivery in its own transaction
        }
    }

    /** Creates one delivery per enabled endpoint that wants the event's type. @return events fanned out */
    int fanOut() {
        return jdbc.sql("""
                        WITH claimed AS (
                            SELECT id, type FROM notification_outbox WHERE fanned_out_at IS NULL
                             ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED),
                        created AS (
                            INSERT INTO notification_deliveries (outbox_id, endpoint_id)
                            SELECT claimed.id, endpoint.id
                              FROM claimed JOIN notification_endpoints endpoint
                                ON endpoint.enabled AND claimed.type = ANY (endpoint.event_types)
                            ON CONFLICT (outbox_id, endpoint_id) DO NOTHING)
                        UPDATE notification_outbox outbox SET fanned_out_at = now()
                          FROM claimed WHERE outbox.id = claimed.id
                        """)
                .update();
    }

    /**
     * Forgets finished deliveries older than the retention, and events that have no delivery left.
     * Idempotent, so replicas need not agree on who does it. @return rows deleted
     */
    int purge() {
        int deliveries = jdbc.sql("""
                        DELETE FROM notification_deliveries
                         WHERE status <> 'PENDING' AND created_at < now() - :millis * interval '1 millisecond'""")
                .param("millis", properties.retention().toMillis())
                .update();
        int events = jdbc.sql("""
                        DELETE FROM notification_outbox outbox
                         WHERE fanned_out_at IS NOT NULL AND occurred_at < now() - :millis * interval '1 millisecond'
                           AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.outbox_id = outbox.id)""")
                .param("millis", properties.retention().toMillis())
                .update();
        return deliveries + events;
    }

    private void purgeIfDue() {
        Instant now = Instant.now();
        if (now.isAfter(nextPurge)) {
            nextPurge = now.plus(PURGE_EVERY);
            int purged = purge();
            if (purged > 0) {
                log.info("notification purge rows={} older than {}", purged, properties.retention());
            }
        }
    }

    /**
     * Sends the oldest due delivery that no other replica holds, to an endpoint no other thread of
     * this one is sending to. @return false when nothing was due
     */
    boolean deliverNextDue() {
        List<Long> busy = new ArrayList<>(busyEndpoints);
        busy.add(-1L); // NOT IN () is not SQL
        Boolean sent = transactions.execute(status -> {
            Optional<Due> due = jdbc.sql("""
                            SELECT d.id, d.attempts, d.endpoint_id, e.name, e.kind, e.url, e.signing_secret,
                                   o.type, o.cluster, o.request_id, o.summary, o.link, o.details::text AS details, o.occurred_at
                              FROM notification_deliveries d
                              JOIN notification_endpoints e ON e.id = d.endpoint_id
                              JOIN notification_outbox o ON o.id = d.outbox_id
                             WHERE d.status = 'PENDING' AND d.next_attempt_at <= now() AND e.enabled
                               AND d.endpoint_id NOT IN (:busy)
                             ORDER BY d.next_attempt_at, d.id
                             LIMIT 1
                               FOR UPDATE OF d SKIP LOCKED""")
                    .param("busy", busy)
                    .query((rs, row) -> new Due(
                            rs.getLong("id"),
                            rs.getInt("attempts"),
                            rs.getLong("endpoint_id"),
                            rs.getString("name"),
                            EndpointKind.valueOf(rs.getString("kind")),
                            rs.getString("url"),
                            rs.getString("signing_secret"),
                            new OutgoingEvent(rs.getString("type"), rs.getString("cluster"),
                                    (Long) rs.getObject("request_id", Long.class), rs.getString("summary"),
                                    rs.getString("link"), details(rs.getString("details")),
                                    rs.getTimestamp("occurred_at").toInstant())))
                    .optional();
            if (due.isEmpty()) {
                return false;
            }
            long endpoint = due.get().endpointId();
            if (!busyEndpoints.add(endpoint)) {
                return true; // another thread took this endpoint meanwhile: leave the row, look again
            }
            try {
                deliver(due.get());
            } finally {
                busyEndpoints.remove(endpoint);
            }
            return true;
        });
        return Boolean.TRUE.equals(sent);
    }

    private void deliver(Due due) {
        String body = payloads.body(due.kind(), due.event());
        String secret = due.kind() == EndpointKind.GENERIC_JSON ? due.secret() : null;
        WebhookSender.Result result = sender.send(due.url(), body, due.event().type(), secret, due.id());
        if (Thread.currentThread().isInterrupted()) {
            // Shutting down: roll back, so the attempt is not counted and another replica (or the next start) sends it.
            throw new IllegalStateException("interrupted while delivering notification " + due.id());
        }
        int attempts = due.attempts() + 1;
        if (result.delivered()) {
            jdbc.sql("""
                            UPDATE notification_deliveries
                               SET status = 'DELIVERED', attempts = :attempts, last_http_status = :status, last_error = NULL,
                                   last_attempt_at = clock_timestamp(), delivered_at = clock_timestamp()
                             WHERE id = :id""")
                    .param("id", due.id()).param("attempts", attempts).param("status", result.httpStatus())
                    .update();
            log.info("notification delivery={} endpoint={} event={} attempt={} outcome=delivered http={}",
                    due.id(), due.endpointName(), due.event().type(), attempts, result.httpStatus());
            return;
        }
        boolean exhausted = attempts >= properties.maxAttempts();
        Duration backoff = properties.backoffAfter(attempts);
        jdbc.sql("""
                        UPDATE notification_deliveries
                           SET status = :state, attempts = :attempts, last_http_status = :status, last_error = :error,
                               last_attempt_at = clock_timestamp(),
                               next_attempt_at = clock_timestamp() + :backoffMillis * interval '1 millisecond'
                         WHERE id = :id""")
                .param("id", due.id())
                .param("state", exhausted ? "FAILED" : "PENDING")
                .param("attempts", attempts)
                .param("status", result.httpStatus())
                .param("error", result.error())
                .param("backoffMillis", exhausted ? 0L : backoff.toMillis())
                .update();
        log.warn("notification delivery={} endpoint={} event={} attempt={}/{} outcome={} error={}",
                due.id(), due.endpointName(), due.event().type(), attempts, properties.maxAttempts(),
                exhausted ? "failed (no more attempts)" : "retry in " + backoff, result.error());
    }

    private static Map<String, String> details(String json) {
        try {
            Map<String, String> details = new LinkedHashMap<>();
            JSON.readValue(json, Map.class).forEach((key, value) -> details.put(String.valueOf(key), String.valueOf(value)));
            return details;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification_outbox.details is not a JSON object", e);
        }
    }

    private record Due(long id, int attempts, long endpointId, String endpointName, EndpointKind kind, String url,
            String secret, OutgoingEvent event) {}

    // Lifecycle: delivery-threads background threads per replica.

    @Override
    public void start() {
        running = true;
        for (int i = 1; i <= Math.max(1, properties.deliveryThreads()); i++) {
            Thread thread = new Thread(this::loop, "notification-dispatcher-" + i);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        List<Thread> stopping = List.copyOf(workers);
        workers.clear();
        stopping.forEach(Thread::interrupt);
        for (Thread thread : stopping) {
            try {
                thread.join(properties.requestTimeout().plusSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("notification dispatch pass failed; trying again in {}: {}", properties.pollInterval(), e.toString());
            }
            try {
                Thread.sleep(properties.pollInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
