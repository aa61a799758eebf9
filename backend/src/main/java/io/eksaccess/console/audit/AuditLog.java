package io.eksaccess.console.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one way anything is written to the audit history: append-only (the table's trigger refuses
 * the rest) and hash-chained. A failure to append propagates, so callers that must fail closed do.
 *
 * <p>Two ways to append, with the same parameters:
 * <ul>
 *   <li>{@link #record} joins the caller's transaction when there is one (its own otherwise): the
 *       row commits or rolls back together with the change it describes, so the history never
 *       tells of a transition that did not happen. Write-ahead intents are recorded outside any
 *       transaction, so they still commit before the change.</li>
 *   <li>{@link #recordIndependently} always commits in a transaction of its own: for refusals and
 *       denials that must stay recorded although the caller's work is rolled back.</li>
 * </ul>
 *
 * <p>Appends are serialized by a transaction-scoped advisory lock (no forks in the chain), held
 * until the appending transaction ends. Hence, to stay free of deadlocks: record as the last
 * write of a transaction (a transaction holding the chain lock then waits for no row lock, so no
 * cycle can form; PostgreSQL would otherwise detect it and abort one side with 40P01), keep the
 * default READ COMMITTED isolation (the chain head is read after the lock is taken), and never
 * open a new transaction that appends while an outer one on the same thread has appended: that
 * would wait for its own suspended caller forever, so it is refused with an exception instead.
 */
@Component
public class AuditLog {

    /** Keys whose values never reach the history, whatever a caller passes. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(secret|password|token|credential|private).*");
    private static final long CHAIN_LOCK = 0x6175646974L; // "audit"
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bound to the current transaction once it holds {@link #CHAIN_LOCK}. */
    private static final Object LOCK_HELD = new Object();
    /** Transactions of this thread (current or suspended) that hold {@link #CHAIN_LOCK}. */
    private static final ThreadLocal<int[]> LOCKS_ON_THIS_THREAD = ThreadLocal.withInitial(() -> new int[1]);

    private final JdbcClient jdbc;
    private final AuditChainKey key;
    private final TransactionTemplate joined;
    private final TransactionTemplate independent;
    private final Clock clock = Clock.systemUTC();

    AuditLog(JdbcClient jdbc, PlatformTransactionManager transactions, AuditChainKey key) {
        this.jdbc = jdbc;
        this.key = key;
        this.joined = new TransactionTemplate(transactions);
        this.joined.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRED);
        this.independent = new TransactionTemplate(transactions);
        this.independent.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Appends one event in the caller's transaction (or its own): it commits only if the caller's work does. */
    public AuditEvent record(
            AuditActor actor, AuditAction action, String cluster, String resource, Map<String, String> details,
            AuditOutcome outcome) {
        return joined.execute(status -> append(actor, action, cluster, resource, details, outcome));
    }

    /**
     * Appends one event in a transaction of its own, committed even if the caller's work later
     * rolls back: for refusals and denials. Call it before the caller's transaction records
     * anything (see the class comment); otherwise it throws {@link IllegalStateException}.
     */
    public AuditEvent recordIndependently(
            AuditActor actor, AuditAction action, String cluster, String resource, Map<String, String> details,
            AuditOutcome outcome) {
        refuseIfAnOuterTransactionHoldsTheLock();
        return independent.execute(status -> append(actor, action, cluster, resource, details, outcome));
    }

    /**
     * With a chain key, makes sure the newest row is keyed (appending {@code AUDIT_CHAIN_KEYED} if
     * it is not), so a verifier with the key can tell a history rewritten without the key from one
     * that was never keyed: from then on, the newest row of a genuine history is always keyed.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void sealWithTheChainKey() {
        if (!key.present()) {
            return;
        }
        joined.executeWithoutResult(status -> {
            lockTheChain();
            Optional<String> newest = jdbc.sql("SELECT hash_scheme FROM audit_events ORDER BY sequence DESC LIMIT 1")
                    .query(String.class).optional();
            if (newest.isPresent() && !newest.get().equals(key.scheme().name())) {
                append(AuditActor.system("audit"), AuditAction.AUDIT_CHAIN_KEYED, null, null,
                        Map.of("scheme", key.scheme().name()), AuditOutcome.SUCCESS);
            }
        });
    }

    private AuditEvent append(
            AuditActor actor, AuditAction action, String cluster, String resource, Map<String, String> details,
            AuditOutcome outcome) {
        lockTheChain();
        var last = jdbc.sql("SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1")
                .query((rs, row) -> new Object[] {rs.getLong(1), rs.getString(2)})
                .optional();
        long sequence = last.map(l -> (Long) l[0] + 1).orElse(1L);
        String previousHash = last.map(l -> (String) l[1]).orElse(AuditHash.GENESIS);
        UUID id = UUID.randomUUID();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, String> redacted = redact(details);
        AuditHash.Scheme scheme = key.scheme();
        String hash = key.hash(scheme, AuditHash.canonical(sequence, id, now, actor, action.name(), cluster, resource,
                redacted, outcome.name(), previousHash));
        jdbc.sql("""
                        INSERT INTO audit_events (id, sequence, occurred_at, actor_subject, actor_name, source_ip, action,
                                                  cluster, resource, details, outcome, previous_hash, hash, hash_scheme)
                        VALUES (:id, :sequence, :at, :subject, :name, :ip, :action, :cluster, :resource,
                                CAST(:details AS jsonb), :outcome, :previous, :hash, :scheme)
                        """)
                .param("id", id)
                .param("sequence", sequence)
                .param("at", Timestamp.from(now))
                .param("subject", actor.subject())
                .param("name", actor.displayName())
                .param("ip", actor.sourceIp())
                .param("action", action.name())
                .param("cluster", cluster)
                .param("resource", resource)
                .param("details", toJson(redacted))
                .param("outcome", outcome.name())
                .param("previous", previousHash)
                .param("hash", hash)
                .param("scheme", scheme.name())
                .update();
        return new AuditEvent(id, sequence, now, actor.subject(), actor.displayName(), actor.sourceIp(), action.name(),
                cluster, resource, redacted, null, outcome.name(), previousHash, hash);
    }

    /** Takes the chain lock once per transaction and remembers it until the transaction ends. */
    private void lockTheChain() {
        if (TransactionSynchronizationManager.hasResource(LOCK_HELD)) {
            return;
        }
        refuseIfAnOuterTransactionHoldsTheLock();
        jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", CHAIN_LOCK).query(Object.class).optional();
        TransactionSynchronizationManager.bindResource(LOCK_HELD, Boolean.TRUE);
        LOCKS_ON_THIS_THREAD.get()[0]++;
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void suspend() {
                TransactionSynchronizationManager.unbindResource(LOCK_HELD);
            }

            @Override
            public void resume() {
                TransactionSynchronizationManager.bindResource(LOCK_HELD, Boolean.TRUE);
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(LOCK_HELD);
                if (--LOCKS_ON_THIS_THREAD.get()[0] <= 0) {
                    LOCKS_ON_THIS_THREAD.remove();
                }
            }
        });
    }

    private static void refuseIfAnOuterTransactionHoldsTheLock() {
        boolean heldHere = TransactionSynchronizationManager.hasResource(LOCK_HELD);
        if (heldHere || LOCKS_ON_THIS_THREAD.get()[0] > 0) {
            throw new IllegalStateException("A transaction on this thread already appended to the audit history and"
                    + " holds its lock until it ends; appending in another transaction now would wait for it forever."
                    + " Record independent rows before the transaction records anything, or use record(...) to join"
                    + " it.");
        }
    }

    static Map<String, String> redact(Map<String, String> details) {
        Map<String, String> redacted = new TreeMap<>();
        details.forEach((key, value) -> redacted.put(key, SECRET_KEY.matcher(key).matches() ? "[redacted]" : value));
        return redacted;
    }

    private static String toJson(Map<String, String> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
