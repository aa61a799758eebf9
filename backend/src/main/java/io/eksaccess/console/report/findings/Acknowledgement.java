package io.eksaccess.console.report.findings;

import java.time.Instant;

/** An admin accepted a finding until {@code expiresAt}, because of {@code reason}. */
public record Acknowledgement(String findingId, String resource, String reason, Instant expiresAt, String actorName,
        Instant acknowledgedAt) {}
