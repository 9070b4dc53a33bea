package chorus.api.model;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * One protocol step as recorded by replica {@code replica}. {@code peer} is the replica the step
 * concerns: the voter for a coordinator's PREPARED/VOTED_NO/TIMED_OUT/ACKNOWLEDGED, the replica
 * itself for a participant's steps, 0 where no single replica is meant (a decision).
 *
 * @param seq       per-replica sequence number, increasing from 1
 * @param timeMillis wall-clock time of the step
 * @param txId      null for events that are not about a transaction (failure switch, recovery)
 * @param operation summary of the mutations, for example "put a, delete b"
 * @param elapsedMicros time the step took where it has one (vote latency, commit latency), else -1
 */
public record ProtocolEvent(long seq, long timeMillis, int replica, Role role, EventType type, TxId txId,
                            int coordinator, int peer, List<String> keys, String operation, String reason,
                            long elapsedMicros) implements Serializable {

    public ProtocolEvent {
        keys = keys == null ? List.of() : List.copyOf(keys);
        operation = operation == null ? "" : operation;
        reason = reason == null ? "" : reason;
    }

    public Optional<TxId> transaction() {
        return Optional.ofNullable(txId);
    }
}
