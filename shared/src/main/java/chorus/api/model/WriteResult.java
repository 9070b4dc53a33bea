package chorus.api.model;

import java.io.Serializable;
import java.util.Map;

/**
 * A committed write: its transaction, the new version of every key it touched, how long the client
 * waited at the coordinator, and how many attempts conflicts cost (1 when there was none).
 */
public record WriteResult(TxId txId, Map<String, Long> versions, long latencyMicros, int attempts, int coordinator)
        implements Serializable {

    public WriteResult {
        versions = Map.copyOf(versions);
    }

    /** The new version of the single key of a one-key write. */
    public long version() {
        if (versions.size() != 1) {
            throw new IllegalStateException("write of " + versions.size() + " keys has no single version");
        }
        return versions.values().iterator().next();
    }
}
