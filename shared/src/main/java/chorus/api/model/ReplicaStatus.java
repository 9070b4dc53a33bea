package chorus.api.model;

import java.io.Serializable;

/**
 * A replica's health and counters at one moment. Counters are cumulative since start; latencies
 * are coordinator-side commit latencies over the replica's recent window (-1 when none).
 *
 * @param storageProblem "" while the replica's storage takes writes; otherwise what fails, for
 *                       example "disk full: ... No space left on device" (the replica votes NO
 *                       until its storage takes writes again, which it finds out by itself)
 */
public record ReplicaStatus(int id, String address, long startedAtMillis, long uptimeMillis, long keyCount,
                            int inFlight, int inDoubt, long commits, long aborts, long timeouts,
                            boolean simulatedFailure, long commitP50Micros, long commitP99Micros,
                            long lastEventSeq, int protocolVersion, String storageProblem) implements Serializable {

    public ReplicaStatus {
        storageProblem = storageProblem == null ? "" : storageProblem;
    }

    /** A replica whose storage is healthy (as every replica was before storage problems were reported). */
    public ReplicaStatus(int id, String address, long startedAtMillis, long uptimeMillis, long keyCount,
                         int inFlight, int inDoubt, long commits, long aborts, long timeouts,
                         boolean simulatedFailure, long commitP50Micros, long commitP99Micros,
                         long lastEventSeq, int protocolVersion) {
        this(id, address, startedAtMillis, uptimeMillis, keyCount, inFlight, inDoubt, commits, aborts, timeouts,
                simulatedFailure, commitP50Micros, commitP99Micros, lastEventSeq, protocolVersion, "");
    }

    /** True while writes to the replica's storage fail (a full disk, for one). */
    public boolean storageFailing() {
        return !storageProblem.isEmpty();
    }
}
