package chorus.console.service;

import chorus.api.config.ReplicaAddress;
import chorus.api.model.ReplicaStatus;
import java.util.Optional;

/**
 * What the console knows of one replica after a poll: its health, the last status it answered
 * (kept while it is unreachable, so the card can still show the last counters) and, when it did
 * not answer, why.
 */
public record ReplicaSnapshot(ReplicaAddress address, ReplicaHealth health, ReplicaStatus status, String problem,
                              long observedAtMillis) {

    public ReplicaSnapshot {
        problem = problem == null ? "" : problem;
    }

    public int id() {
        return address.id();
    }

    public Optional<ReplicaStatus> lastStatus() {
        return Optional.ofNullable(status);
    }
}
