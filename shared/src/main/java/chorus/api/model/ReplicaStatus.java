package chorus.api.model;

import java.io.Serializable;

/**
 * A replica's health and counters at one moment. Counters are cumulative since start; latencies
 * are coordinator-side commit latencies over the replica's recent window (-1 when none).
 */
public record ReplicaStatus(int id, String address, long startedAtMillis, long uptimeMillis, long keyCount,
                            int inFlight, int inDoubt, long commits, long aborts, long timeouts,
                            boolean simulatedFailure, long commitP50Micros, long commitP99Micros,
                            long lastEventSeq, int protocolVersion) implements Serializable {
}
