package chorus.console.service;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.MembershipStatus;
import chorus.api.model.ReplicaStatus;
import java.util.Optional;

/**
 * What the console knows of one replica after a poll: its health, the last status and membership
 * it answered (kept while it is unreachable, so the card can still show the last counters and the
 * view it knew) and, when it did not answer, why.
 *
 * @param membership the view it knows, its role and read lease; null until it answered once
 */
public record ReplicaSnapshot(ReplicaAddress address, ReplicaHealth health, ReplicaStatus status, String problem,
                              long observedAtMillis, MembershipStatus membership) {

    public ReplicaSnapshot {
        problem = problem == null ? "" : problem;
    }

    /** A snapshot without membership (a test that does not look at it). */
    public ReplicaSnapshot(ReplicaAddress address, ReplicaHealth health, ReplicaStatus status, String problem,
                           long observedAtMillis) {
        this(address, health, status, problem, observedAtMillis, null);
    }

    public int id() {
        return address.id();
    }

    public Optional<ReplicaStatus> lastStatus() {
        return Optional.ofNullable(status);
    }

    public Optional<MembershipStatus> lastMembership() {
        return Optional.ofNullable(membership);
    }
}
